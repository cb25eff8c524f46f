import { complianceRequests, type Db, retryConflicts } from "@cartback/db";
import { z } from "zod";
import { claimWebhookDelivery } from "../shopify/webhooks.ts";
import { exportCustomer, profilesOfCustomer, redactProfiles, redactShop } from "./redact.ts";

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
  // Ingest may hold the same shopper's rows from the other end: a lost deadlock is run again.
  return retryConflicts(() => db.transaction(async (tx) => {
    if (!(await claimWebhookDelivery(tx, hook))) return { type: "duplicate" } as const;
    const ids = await profilesOfCustomer(tx, hook.shop, customer);
    const base = { shop: hook.shop, webhookId: hook.webhookId, topic: hook.topic, customerId: customer.customerId };
    if (hook.topic === "customers/data_request") {
      const data = await exportCustomer(tx, hook.shop, ids);
      const outcome = Object.fromEntries(Object.entries(data).map(([table, rows]) => [table, rows.length]));
      await tx.insert(complianceRequests).values({ ...base, outcome, export: data });
      return { type: "done", removed: {}, messageIds: [] } as const;
    }
    const { removed, messageIds } = await redactProfiles(tx, hook.shop, ids, customer.email);
    await tx.insert(complianceRequests).values({ ...base, outcome: removed, outboxPending: messageIds });
    return { type: "done", removed, messageIds } as const;
  }));
}
