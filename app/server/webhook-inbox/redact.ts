import { parseJsonLossless } from "@cartback/core/ids/json";
import { IDENTITY_KINDS } from "@cartback/core/identity/stitch";
import { type Db, webhookInbox } from "@cartback/db";
import { and, eq, inArray } from "drizzle-orm";
import { translateAny } from "./translate.ts";

/**
 * customers/redact: deliveries acknowledged but not applied yet may name the customer. Those
 * naming any of `keys` (Shopify's identifiers, or those the profiles being redacted hold: a cart
 * token; keysToForget in compliance/redact.ts) are deleted in the redaction's transaction, before the
 * profiles' identities go. shop/redact needs nothing here: it deletes every row of the shop in
 * every table with a shop column, this one included.
 */
export async function purgeCustomerDeliveries(tx: Db, shop: string, keys: ReadonlySet<string>): Promise<number> {
  if (keys.size === 0) return 0;
  const rows = await tx.select({ id: webhookInbox.id, topic: webhookInbox.topic, body: webhookInbox.body }).from(webhookInbox).where(eq(webhookInbox.shop, shop)).for("update");
  const doomed = rows.filter((row) => keysNamedIn(row.topic, row.body).some((key) => keys.has(key))).map((row) => row.id);
  if (doomed.length === 0) return 0;
  await tx.delete(webhookInbox).where(and(eq(webhookInbox.shop, shop), inArray(webhookInbox.id, doomed)));
  return doomed.length;
}

/** The identifier keys a stored delivery's events carry, as ingest stores them. */
function keysNamedIn(topic: string, body: string): string[] {
  let payload: unknown;
  try {
    payload = parseJsonLossless(body);
  } catch {
    return [];
  }
  const translated = translateAny(topic, payload, { shopCurrency: "USD" });
  if (translated?.type !== "ok") return [];
  return translated.events.flatMap((event) =>
    IDENTITY_KINDS.flatMap((kind) => {
      const value = (event as Record<string, unknown>)[kind];
      if (typeof value !== "string" && typeof value !== "number") return [];
      const text = String(value).trim();
      return [`${kind}:${kind === "email" ? text.toLowerCase() : text}`];
    }),
  );
}
