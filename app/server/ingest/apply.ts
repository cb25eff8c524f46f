import { randomUUID } from "node:crypto";
import { type DerivedProfile, deriveProfile } from "@cartback/core/cart/derive";
import type { CartRules } from "@cartback/core/cart/live-cart";
import { canonicalOrder } from "@cartback/core/cart/timeline";
import type { CartEvent } from "@cartback/core/events/event";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, profileEvents, profileIdentities, profiles } from "@cartback/db";
import { and, eq, sql } from "drizzle-orm";
import { derivedToColumns, type ProfileRow } from "../profiles/codec.ts";
import { type ActivityInput, activitiesFor } from "./activities.ts";
import { type BatchWrite, type ProfileUpsert, upsertProfiles, writeBatch } from "./bulk.ts";
import { lockAndLoadOwners } from "./owners.ts";
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
 * re-derive every touched profile from its events, report the changes. Advisory locks on
 * the batch's identifiers and their profiles (owners.ts) serialize stitching across
 * transactions and processes, so two requests never create two profiles for one new
 * identifier, while batches of different shoppers proceed side by side.
 */
export async function applyEvents(tx: Db, shop: string, input: readonly CartEvent[], options: ApplyOptions = {}): Promise<ApplyOutcome> {
  return (await applyBatches(tx, new Map([[shop, input]]), options)).get(shop)!;
}

/** `applyEvents` for several shops' batches at once, in the same few statements. */
export async function applyBatches(tx: Db, batches: Map<string, readonly CartEvent[]>, options: ApplyOptions = {}): Promise<Map<string, ApplyOutcome>> {
  const results = new Map<string, ApplyOutcome>();
  // Duplicates are not filtered up front: their identifiers are already stitched (a no-op
  // again) and the event insert below skips them, which saves a round trip per batch.
  const fresh = new Map<string, CartEvent[]>();
  for (const [shop, input] of batches) {
    const status = new Map<string, "accepted" | "duplicate">(input.map((e) => [e.id, "duplicate"]));
    results.set(shop, { status, activities: [] });
    const events = canonicalOrder(input);
    if (events.length > 0) fresh.set(shop, events);
  }
  if (fresh.size === 0) return results;
  const loaded = await lockAndLoadOwners(tx, fresh);
  const write: BatchWrite = { identities: [], events: [], profiles: [] };
  const plans = new Map<string, { before: Map<string, ProfileRow>; derived: Map<string, DerivedProfile>; activity: Omit<ActivityInput, "derived" | "before"> }>();
  const newId = options.newProfileId ?? randomUUID;
  for (const [shop, events] of fresh) {
    const { owners, rows: before, history } = loaded.get(shop)!;
    const outcome = stitchBatch(events, owners, (event) => ({ profileId: newId(), createdAt: event.receivedAt }));
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
    // Each survivor is derived from the stored history of every profile it absorbed plus
    // this batch's events; stored events come first so a duplicate keeps its stored version.
    const finalOf = (id: string) => outcome.merges.get(id) ?? id;
    const byProfile = new Map<string, CartEvent[]>();
    for (const [profileId, stored] of history) for (const event of stored) push(byProfile, finalOf(profileId), event);
    for (const event of events) push(byProfile, outcome.profileOf.get(event.id)!, event);
    const derived = new Map<string, DerivedProfile>();
    for (const profileId of survivors) derived.set(profileId, deriveProfile(byProfile.get(profileId) ?? [], options.rules));

    for (const [key, profileId] of outcome.newKeys) write.identities.push({ shop, key, profile_id: profileId });
    for (const e of events) {
      const { id, shop: _shop, occurredAt, receivedAt, source, ...body } = e;
      write.events.push({ shop, id, profile_id: outcome.profileOf.get(id)!, name: e.name, source, occurred_at: occurredAt.toISOString(), received_at: receivedAt.toISOString(), body });
    }
    for (const row of profileRows(derived, (id) => bornAt.get(id) ?? before.get(id)?.createdAt ?? new Date())) write.profiles.push({ shop, ...row });
    plans.set(shop, { before, derived, activity: { survivors, merges: outcome.merges, mergedAt: outcome.mergedAt, storedMerged } });
  }

  const inserted = await writeBatch(tx, write);
  for (const { shop, id } of inserted) results.get(shop)!.status.set(id, "accepted");
  const changed = new Set(inserted.map((row) => row.shop));
  for (const [shop, plan] of plans) {
    if (!changed.has(shop)) continue;
    const activities = activitiesFor(shop, { ...plan.activity, derived: plan.derived, before: plan.before });
    results.get(shop)!.activities.push(...activities);
    if (activities.length > 0 && options.onActivity) await options.onActivity(tx, activities);
  }
  return results;
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
