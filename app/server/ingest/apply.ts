import { randomUUID } from "node:crypto";
import { type DerivedProfile, deriveProfile } from "@cartback/core/cart/derive";
import type { CartRules } from "@cartback/core/cart/live-cart";
import { canonicalOrder } from "@cartback/core/cart/timeline";
import type { CartEvent } from "@cartback/core/events/event";
import { type ProfileRef, identityKeys, keyOf } from "@cartback/core/identity/stitch";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, profileEvents, profileIdentities, profiles } from "@cartback/db";
import { and, eq, sql } from "drizzle-orm";
import { derivedToColumns, type ProfileRow, rowToEvent } from "../profiles/codec.ts";
import { activitiesFor } from "./activities.ts";
import { type ProfileUpsert, upsertProfiles, writeBatch } from "./bulk.ts";
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
  const { owners, rows: before, history } = await loadOwners(tx, shop, fresh);
  const newId = options.newProfileId ?? randomUUID;
  const outcome = stitchBatch(fresh, owners, (event) => ({ profileId: newId(), createdAt: event.receivedAt }));
  const survivors = new Set(outcome.profileOf.values());
  const createdIds = new Set(outcome.created.map((r) => r.profileId));
  const bornAt = new Map(outcome.created.map((ref) => [ref.profileId, ref.createdAt]));
  const storedMerged = [...outcome.merges.keys()].filter((id) => !createdIds.has(id));
  for (const [gone, survivor] of outcome.merges) {
    if (createdIds.has(gone)) continue;
    await tx.update(profileIdentities).set({ profileId: survivor }).where(and(eq(profileIdentities.shop, shop), eq(profileIdentities.profileId, gone)));
    await tx.update(profileEvents).set({ profileId: survivor }).where(and(eq(profileEvents.shop, shop), eq(profileEvents.profileId, gone)));
    await tx.update(profiles).set({ mergedInto: survivor, cart: [], updatedAt: sql`now()` }).where(and(eq(profiles.shop, shop), eq(profiles.id, gone)));
  }

  // Each survivor is derived from the stored history of every profile it absorbed plus this
  // batch's events; stored events come first so a duplicate keeps its stored version.
  const finalOf = (id: string) => outcome.merges.get(id) ?? id;
  const byProfile = new Map<string, CartEvent[]>();
  for (const [profileId, stored] of history) for (const event of stored) push(byProfile, finalOf(profileId), event);
  for (const event of fresh) push(byProfile, outcome.profileOf.get(event.id)!, event);
  const derived = new Map<string, DerivedProfile>();
  for (const profileId of survivors) derived.set(profileId, deriveProfile(byProfile.get(profileId) ?? [], options.rules));

  const inserted = await writeBatch(tx, shop, {
    identities: [...outcome.newKeys].map(([key, profileId]) => ({ key, profile_id: profileId })),
    events: fresh.map((e) => {
      const { id, shop: _shop, occurredAt, receivedAt, source, ...body } = e;
      return { id, profile_id: outcome.profileOf.get(id)!, name: e.name, source, occurred_at: occurredAt.toISOString(), received_at: receivedAt.toISOString(), body };
    }),
    profiles: profileRows(derived, (id) => bornAt.get(id) ?? before.get(id)?.createdAt ?? new Date()),
  });
  for (const id of inserted) status.set(id, "accepted");
  if (inserted.length === 0) return { status, activities: [] };

  const activities = activitiesFor(shop, { survivors, derived, before, merges: outcome.merges, mergedAt: outcome.mergedAt, storedMerged });
  if (activities.length > 0 && options.onActivity) await options.onActivity(tx, activities);
  return { status, activities };
}

/** One statement for every touched profile: new ones are inserted, known ones updated. */
export async function writeProfiles(tx: Db, shop: string, derived: Map<string, DerivedProfile>, createdAt: (id: string) => Date) {
  await upsertProfiles(tx, shop, profileRows(derived, createdAt));
}

function profileRows(derived: Map<string, DerivedProfile>, createdAt: (id: string) => Date): ProfileUpsert[] {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return [...derived].map(([id, d]) => {
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
}

function push<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

interface StoredEvent {
  id: string;
  occurredAt: string;
  receivedAt: string;
  source: string;
  body: Record<string, unknown>;
}

/**
 * Takes the shop's ingest lock, then reads, in one statement, who owns the batch's
 * identifiers together with those profiles' rows and event histories. Two statements on
 * purpose: under READ COMMITTED a statement's snapshot predates a lock it waits for, so a
 * combined statement would miss identities the previous holder just committed.
 */
async function loadOwners(tx: Db, shop: string, events: readonly CartEvent[]) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`cartback:ingest:${shop}`}))`);
  const keys = [...new Set(events.flatMap((e) => identityKeys(e.identifiers).map(keyOf)))];
  const owners = new Map<string, ProfileRef>();
  // Every stored profile a batch touches owns one of its identifiers: read their rows here.
  const rows = new Map<string, ProfileRow>();
  const history = new Map<string, CartEvent[]>();
  if (keys.length === 0) return { owners, rows, history };
  const found = await tx
    .select({
      keys: sql<string[]>`array_agg(${profileIdentities.key})`,
      profile: profiles,
      history: sql<StoredEvent[]>`(
        select coalesce(jsonb_agg(jsonb_build_object('id', e.id, 'occurredAt', e.occurred_at, 'receivedAt', e.received_at, 'source', e.source, 'body', e.body)), '[]'::jsonb)
        from ${profileEvents} e where e.shop = ${profiles.shop} and e.profile_id = ${profiles.id})`,
    })
    .from(profileIdentities)
    .innerJoin(profiles, and(eq(profiles.shop, profileIdentities.shop), eq(profiles.id, profileIdentities.profileId)))
    .where(and(eq(profileIdentities.shop, shop), sql`${profileIdentities.key} = any(${sql.param(keys)}::text[])`))
    .groupBy(profiles.shop, profiles.id);
  for (const { keys: owned, profile, history: stored } of found) {
    for (const key of owned) owners.set(key, { profileId: profile.id, createdAt: profile.createdAt });
    rows.set(profile.id, profile);
    history.set(
      profile.id,
      stored.map((e) => rowToEvent({ shop, id: e.id, occurredAt: new Date(e.occurredAt), receivedAt: new Date(e.receivedAt), source: e.source, body: e.body })),
    );
  }
  return { owners, rows, history };
}
