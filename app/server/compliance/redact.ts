import { type Db, profileIdentities, profiles, suppressions } from "@cartback/db";
import { and, eq, inArray, or } from "drizzle-orm";
import { listProfileEvents } from "../profiles/repository.ts";
import { SHOP_TABLES } from "./tables.ts";

export interface CustomerRef {
  customerId: string | null;
  email: string | null;
  phone: string | null;
}

/** The identifier keys (as ingest stores them) that Shopify names for this customer. */
export function keysOfCustomer(customer: CustomerRef): string[] {
  return [
    customer.customerId && `customerId:${customer.customerId}`,
    customer.email && `email:${customer.email.trim().toLowerCase()}`,
    customer.phone && `phone:${customer.phone}`,
  ].filter((key): key is string => Boolean(key));
}

/** Every profile id (merged-away ones too) that holds this customer's identifiers. */
/**
 * Every identifier key of the customer being redacted: Shopify's, and those their profiles hold
 * (a cart token, a browser). Waiting inbox rows naming any of them go with the customer.
 */
export async function keysToForget(tx: Db, shop: string, customer: CustomerRef, profileIds: readonly string[]): Promise<Set<string>> {
  const keys = new Set(keysOfCustomer(customer));
  if (profileIds.length === 0) return keys;
  const held = await tx
    .select({ key: profileIdentities.key })
    .from(profileIdentities)
    .where(and(eq(profileIdentities.shop, shop), inArray(profileIdentities.profileId, [...profileIds])));
  for (const { key } of held) keys.add(key);
  return keys;
}

export async function profilesOfCustomer(db: Pick<Db, "select">, shop: string, customer: CustomerRef): Promise<string[]> {
  const keys = keysOfCustomer(customer);
  if (keys.length === 0) return [];
  const owners = await db
    .select({ id: profileIdentities.profileId })
    .from(profileIdentities)
    .where(and(eq(profileIdentities.shop, shop), inArray(profileIdentities.key, keys)));
  const ids = new Set(owners.map((row) => row.id));
  // Follow merges both ways: survivors and the profiles folded into them.
  for (let round = 0; round < 16 && ids.size > 0; round++) {
    const related = await db
      .select({ id: profiles.id, mergedInto: profiles.mergedInto })
      .from(profiles)
      .where(and(eq(profiles.shop, shop), or(inArray(profiles.id, [...ids]), inArray(profiles.mergedInto, [...ids]))));
    const before = ids.size;
    for (const row of related) {
      ids.add(row.id);
      if (row.mergedInto) ids.add(row.mergedInto);
    }
    if (ids.size === before) break;
  }
  return [...ids];
}

export interface Redaction {
  /** Rows removed per table. */
  removed: Record<string, number>;
  /** Message-IDs of the deleted sends: their .eml copies in the local outbox go too, after the commit. */
  messageIds: string[];
}

function messageIdsOf(rows: unknown[]): string[] {
  return rows.flatMap((row) => {
    const id = (row as { message?: { messageId?: unknown } }).message?.messageId;
    return typeof id === "string" ? [id] : [];
  });
}

/** Deletes everything tied to these profiles, table by table. */
export async function redactProfiles(tx: Db, shop: string, ids: string[], email: string | null): Promise<Redaction> {
  const removed: Record<string, number> = {};
  const messageIds: string[] = [];
  if (ids.length > 0) {
    for (const { name, table, shop: shopColumn, profileId } of SHOP_TABLES) {
      if (!profileId) continue;
      const rows = await tx.delete(table).where(and(eq(shopColumn, shop), inArray(profileId, ids))).returning();
      removed[name] = rows.length;
      messageIds.push(...messageIdsOf(rows));
    }
    const gone = await tx.delete(profiles).where(and(eq(profiles.shop, shop), inArray(profiles.id, ids))).returning({ id: profiles.id });
    removed.profiles = gone.length;
  }
  if (email) {
    // An unsubscribe is personal data too; Shopify's own consent state survives the redaction.
    const rows = await tx
      .delete(suppressions)
      .where(and(eq(suppressions.shop, shop), eq(suppressions.email, email.trim().toLowerCase())))
      .returning();
    removed.suppressions = rows.length;
  }
  return { removed, messageIds };
}

/** shop/redact: every row of the shop in every table. */
export async function redactShop(tx: Db, shop: string): Promise<Redaction> {
  const removed: Record<string, number> = {};
  const messageIds: string[] = [];
  for (const { name, table, shop: shopColumn } of SHOP_TABLES) {
    if (name === "compliance_requests") continue;
    const rows = await tx.delete(table).where(eq(shopColumn, shop)).returning();
    removed[name] = rows.length;
    messageIds.push(...messageIdsOf(rows));
  }
  return { removed, messageIds };
}

/** customers/data_request: what Cartback holds about the customer, as plain JSON. */
export async function exportCustomer(db: Db, shop: string, ids: string[]) {
  const result: Record<string, unknown[]> = {};
  if (ids.length === 0) return result;
  for (const { name, table, shop: shopColumn, profileId } of SHOP_TABLES) {
    if (!profileId || name === "profile_events") continue;
    result[name] = await db.select().from(table).where(and(eq(shopColumn, shop), inArray(profileId, ids)));
  }
  result.profiles = await db.select().from(profiles).where(and(eq(profiles.shop, shop), inArray(profiles.id, ids)));
  result.events = (await Promise.all(ids.map((id) => listProfileEvents(db, shop, id)))).flat();
  return result;
}
