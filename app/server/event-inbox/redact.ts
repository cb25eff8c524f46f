import { identityKeys, keyOf } from "@cartback/core/identity/stitch";
import { type Db, eventInbox } from "@cartback/db";
import { and, eq, inArray } from "drizzle-orm";
import { reviveEvent } from "./store.ts";

/**
 * customers/redact: events acknowledged in a burst and not applied yet may name the customer
 * (any of `keys`: keysToForget in compliance/redact.ts). Those are deleted in
 * the redaction's transaction, before the profiles' identities go, so the drain cannot bring
 * the customer back afterwards. shop/redact needs nothing here: it empties every table with a
 * shop column, this one included.
 */
export async function purgeCustomerEvents(tx: Db, shop: string, keys: ReadonlySet<string>): Promise<number> {
  if (keys.size === 0) return 0;
  // FOR UPDATE: a drain applying these rows finishes first (its delete then wins) or waits for this.
  const rows = await tx.select({ id: eventInbox.id, body: eventInbox.body }).from(eventInbox).where(eq(eventInbox.shop, shop)).for("update");
  const doomed = rows.filter((row) => identityKeys(reviveEvent(shop, row.body).identifiers).some((key) => keys.has(keyOf(key)))).map((row) => row.id);
  if (doomed.length === 0) return 0;
  await tx.delete(eventInbox).where(and(eq(eventInbox.shop, shop), inArray(eventInbox.id, doomed)));
  return doomed.length;
}
