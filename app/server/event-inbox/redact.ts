import { identityKeys, keyOf } from "@cartback/core/identity/stitch";
import { type Db, eventInbox, profileIdentities } from "@cartback/db";
import { and, eq, inArray } from "drizzle-orm";
import { reviveEvent } from "./store.ts";

/**
 * customers/redact: events acknowledged in a burst and not applied yet may name the customer
 * (their email, customer id, or a cart or browser their profile holds). Those are deleted in
 * the redaction's transaction, before the profiles' identities go, so the drain cannot bring
 * the customer back afterwards. shop/redact needs nothing here: it empties every table with a
 * shop column, this one included.
 */
export async function purgeCustomerEvents(tx: Db, shop: string, customerKeys: readonly string[], profileIds: readonly string[]): Promise<number> {
  const keys = new Set(customerKeys);
  if (profileIds.length > 0) {
    const held = await tx
      .select({ key: profileIdentities.key })
      .from(profileIdentities)
      .where(and(eq(profileIdentities.shop, shop), inArray(profileIdentities.profileId, [...profileIds])));
    for (const { key } of held) keys.add(key);
  }
  if (keys.size === 0) return 0;
  // FOR UPDATE: a drain applying these rows finishes first (its delete then wins) or waits for this.
  const rows = await tx.select({ id: eventInbox.id, body: eventInbox.body }).from(eventInbox).where(eq(eventInbox.shop, shop)).for("update");
  const doomed = rows.filter((row) => identityKeys(reviveEvent(shop, row.body).identifiers).some((key) => keys.has(keyOf(key)))).map((row) => row.id);
  if (doomed.length === 0) return 0;
  await tx.delete(eventInbox).where(and(eq(eventInbox.shop, shop), inArray(eventInbox.id, doomed)));
  return doomed.length;
}
