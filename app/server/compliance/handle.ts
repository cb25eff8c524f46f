import { complianceRequests, type Db, retryConflicts } from "@cartback/db";
import { z } from "zod";
import { lockShopperAsIngestDoes, lockShopsExclusively } from "../ingest/owners.ts";
import { claimWebhookDelivery } from "../shopify/webhooks.ts";
import { purgeCustomerEvents } from "../event-inbox/redact.ts";
import { purgeCustomerDeliveries } from "../webhook-inbox/redact.ts";
import { exportCustomer, keysOfCustomer, keysToForget, profilesOfCustomer, redactProfiles, redactShop } from "./redact.ts";

const idString = z.union([z.string(), z.number()]).transform(String);
const Customer = z.object({
  id: idString.nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
});
const CustomerPayload = z.object({ customer: Customer });

export type ComplianceResult =
  | { type: "done"; removed: Record<string, number>; messageIds: string[] }
  | { type: "duplicate" }
  | { type: "bad_request"; field: string; reason: string }
  | { type: "unknown_topic"; topic: string };

/**
 * Applies one compliance webhook in one transaction (claim included), so a retry after a
 * failure starts over and a retry after success changes nothing.
 */
export async function handleCompliance(
  db: Db,
  hook: { shop: string; webhookId: string; topic: string; payload: unknown },
): Promise<ComplianceResult> {
  if (hook.topic === "shop/redact") {
    return retryConflicts(() => db.transaction(async (tx) => {
      if (!(await claimWebhookDelivery(tx, hook))) return { type: "duplicate" } as const;
      // As history retention does: no ingest of the shop runs while its rows go.
      await lockShopsExclusively(tx, [hook.shop]);
      const { removed, messageIds } = await redactShop(tx, hook.shop);
      await tx.insert(complianceRequests).values({ shop: hook.shop, webhookId: hook.webhookId, topic: hook.topic, outcome: removed, outboxPending: messageIds });
      return { type: "done", removed, messageIds } as const;
    }));
  }
  if (hook.topic !== "customers/redact" && hook.topic !== "customers/data_request") {
    return { type: "unknown_topic", topic: hook.topic };
  }
  const parsed = CustomerPayload.safeParse(hook.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { type: "bad_request", field: issue.path.join(".") || "customer", reason: issue.message };
  }
  const customer = {
    customerId: parsed.data.customer.id ?? null,
    email: parsed.data.customer.email ?? null,
    phone: parsed.data.customer.phone ?? null,
  };
  // The redaction takes ingest's locks on the shopper in ingest's order before deleting any
  // row, so a racing ingest waits instead of deadlocking; the retry stays as a safety net.
  return retryConflicts(() => db.transaction(async (tx) => {
    if (!(await claimWebhookDelivery(tx, hook))) return { type: "duplicate" } as const;
    const base = { shop: hook.shop, webhookId: hook.webhookId, topic: hook.topic, customerId: customer.customerId };
    if (hook.topic === "customers/data_request") {
      const data = await exportCustomer(tx, hook.shop, await profilesOfCustomer(tx, hook.shop, customer));
      const outcome = Object.fromEntries(Object.entries(data).map(([table, rows]) => [table, rows.length]));
      await tx.insert(complianceRequests).values({ ...base, outcome, export: data });
      return { type: "done", removed: {}, messageIds: [] } as const;
    }
    const ids = await lockShopperAsIngestDoes(tx, hook.shop, keysOfCustomer(customer), () => profilesOfCustomer(tx, hook.shop, customer));
    // Deliveries acknowledged but not applied yet that name the customer go too (before the identities they match).
    const keys = await keysToForget(tx, hook.shop, customer, ids);
    const inbox = await purgeCustomerDeliveries(tx, hook.shop, keys);
    const events = await purgeCustomerEvents(tx, hook.shop, keys);
    const { removed, messageIds } = await redactProfiles(tx, hook.shop, ids, customer.email);
    removed.webhook_inbox = inbox;
    removed.event_inbox = events;
    await tx.insert(complianceRequests).values({ ...base, outcome: removed, outboxPending: messageIds });
    return { type: "done", removed, messageIds } as const;
  }));
}
