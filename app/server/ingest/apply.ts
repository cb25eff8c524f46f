import { randomUUID } from "node:crypto";
import { type DerivedProfile, deriveProfile } from "@cartback/core/cart/derive";
import type { CartRules } from "@cartback/core/cart/live-cart";
import { canonicalOrder } from "@cartback/core/cart/timeline";
import type { CartEvent } from "@cartback/core/events/event";
import { type ProfileRef, identityKeys, keyOf } from "@cartback/core/identity/stitch";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, profileEvents, profileIdentities, profiles } from "@cartback/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import { derivedToColumns, type ProfileRow, rowToEvent } from "../profiles/codec.ts";
import { activitiesFor } from "./activities.ts";
import { insertEvents, upsertProfiles } from "./bulk.ts";
import { stitchBatch } from "./stitcher.ts";

/** Called inside the ingest transaction with what changed (the campaign engine's hook). */
export type OnActivity = (tx: Db, activities: CartActivity[]) => Promise<void>;

export interface ApplyOptions {
  rules?: CartRules;
  onActivity?: OnActivity;
  newProfileId?: () => string;
}

export interface ApplyOutcome {
  /** Event id → outcome; every input id appears. */
  status: Map<string, "accepted" | "duplicate">;
  activities: CartActivity[];
}

/**
 * Applies validated events of one shop inside `tx`: dedupe by id, stitch identities, store,
 * re-derive every touched profile from its events, report the changes. One advisory lock
 * per shop serializes stitching across processes, so two requests never create two
 * profiles for one new identifier.
 */
export async function applyEvents(tx: Db, shop: string, input: readonly CartEvent[], options: ApplyOptions = {}): Promise<ApplyOutcome> {
  const status = new Map<string, "accepted" | "duplicate">();
  const events: CartEvent[] = [];
  for (const event of canonicalOrder(input)) events.push(event);
  for (const event of input) status.set(event.id, "duplicate");
  if (events.length === 0) return { status, activities: [] };

  // Duplicates are not filtered up front: their identifiers are already stitched (a no-op
  // again) and the event insert below skips them, which saves a round trip per batch.
  const fresh = events;
  const { owners, rows: before } = await loadOwners(tx, shop, fresh);
  const newId = options.newProfileId ?? randomUUID;
  const outcome = stitchBatch(fresh, owners, (event) => ({ profileId: newId(), createdAt: event.receivedAt }));
  const survivors = new Set(outcome.profileOf.values());
  const mergedAway = [...outcome.merges.keys()];
  const createdIds = new Set(outcome.created.map((r) => r.profileId));

  const bornAt = new Map(outcome.created.map((ref) => [ref.profileId, ref.createdAt]));
  const storedMerged = mergedAway.filter((id) => !createdIds.has(id));
  for (const [gone, survivor] of outcome.merges) {
    if (createdIds.has(gone)) continue;
    await tx.update(profileIdentities).set({ profileId: survivor }).where(and(eq(profileIdentities.shop, shop), eq(profileIdentities.profileId, gone)));
    await tx.update(profileEvents).set({ profileId: survivor }).where(and(eq(profileEvents.shop, shop), eq(profileEvents.profileId, gone)));
    await tx.update(profiles).set({ mergedInto: survivor, cart: [], updatedAt: sql`now()` }).where(and(eq(profiles.shop, shop), eq(profiles.id, gone)));
  }
  if (outcome.newKeys.size > 0) {
    await tx
      .insert(profileIdentities)
      .values([...outcome.newKeys].map(([key, profileId]) => ({ shop, key, profileId })))
      .onConflictDoUpdate({ target: [profileIdentities.shop, profileIdentities.key], set: { profileId: sql`excluded.profile_id` } });
  }
  const inserted = await insertEvents(
    tx,
    shop,
    fresh.map((e) => {
      const { id, shop: _shop, occurredAt, receivedAt, source, ...body } = e;
      return { id, profile_id: outcome.profileOf.get(id)!, name: e.name, source, occurred_at: occurredAt.toISOString(), received_at: receivedAt.toISOString(), body };
    }),
  );
  for (const id of inserted) status.set(id, "accepted");
  if (inserted.length === 0) return { status, activities: [] };

  // A profile born in this batch has no history but this batch's events.
  const byProfile = new Map<string, CartEvent[]>();
  const older = [...survivors].filter((id) => !createdIds.has(id));
  if (older.length > 0) {
    const history = await tx.select().from(profileEvents).where(and(eq(profileEvents.shop, shop), inArray(profileEvents.profileId, older)));
    for (const row of history) push(byProfile, row.profileId, rowToEvent(row));
  }
  for (const event of fresh) {
    const profileId = outcome.profileOf.get(event.id)!;
    if (createdIds.has(profileId)) push(byProfile, profileId, event);
  }
  const derived = new Map<string, DerivedProfile>();
  for (const profileId of survivors) derived.set(profileId, deriveProfile(byProfile.get(profileId) ?? [], options.rules));
  await writeProfiles(tx, shop, derived, (id) => bornAt.get(id) ?? before.get(id)?.createdAt ?? new Date());

  const activities = activitiesFor(shop, { survivors, derived, before, merges: outcome.merges, mergedAt: outcome.mergedAt, storedMerged });
  if (activities.length > 0 && options.onActivity) await options.onActivity(tx, activities);
  return { status, activities };
}

/** One statement for every touched profile: new ones are inserted, known ones updated. */
export async function writeProfiles(tx: Db, shop: string, derived: Map<string, DerivedProfile>, createdAt: (id: string) => Date) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const rows = [...derived].map(([id, d]) => {
    const c = derivedToColumns(d);
    return {
      id,
      created_at: createdAt(id).toISOString(),
      email: c.email,
      customer_id: c.customerId,
      phone: c.phone,
      first_name: c.firstName,
      last_name: c.lastName,
      marketing_consent: c.marketingConsent,
      accepts_marketing_at_checkout: c.acceptsMarketingAtCheckout,
      cart: c.cart,
      cart_tokens: c.cartTokens,
      checkout_tokens: c.checkoutTokens,
      client_ids: c.clientIds,
      charges: c.charges,
      cart_changed_at: iso(c.cartChangedAt),
      last_event_at: iso(c.lastEventAt),
    };
  });
  await upsertProfiles(tx, shop, rows);
}

function push<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Takes the shop's ingest lock, then reads who owns the batch's identifiers. Two statements
 * on purpose: under READ COMMITTED a statement's snapshot predates a lock it waits for, so
 * a combined statement would miss identities the previous holder just committed.
 */
async function loadOwners(tx: Db, shop: string, events: readonly CartEvent[]) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`cartback:ingest:${shop}`}))`);
  const keys = [...new Set(events.flatMap((e) => identityKeys(e.identifiers).map(keyOf)))];
  const owners = new Map<string, ProfileRef>();
  // Every stored profile a batch touches owns one of its identifiers: read their rows here.
  const rows = new Map<string, ProfileRow>();
  if (keys.length === 0) return { owners, rows };
  const found = await tx
    .select({ key: profileIdentities.key, profile: profiles })
    .from(profileIdentities)
    .innerJoin(profiles, and(eq(profiles.shop, profileIdentities.shop), eq(profiles.id, profileIdentities.profileId)))
    .where(and(eq(profileIdentities.shop, shop), inArray(profileIdentities.key, keys)));
  for (const { key, profile } of found) {
    owners.set(key, { profileId: profile.id, createdAt: profile.createdAt });
    rows.set(profile.id, profile);
  }
  return { owners, rows };
}
