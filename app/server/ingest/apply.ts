import { randomUUID } from "node:crypto";
import { type DerivedProfile, type ProfileFold, advanceFold, isAfter } from "@cartback/core/cart/derive";
import type { CartRules } from "@cartback/core/cart/live-cart";
import { canonicalOrder } from "@cartback/core/cart/timeline";
import type { CartEvent } from "@cartback/core/events/event";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, profileEvents, profileIdentities, profiles } from "@cartback/db";
import { and, eq, sql } from "drizzle-orm";
import { derivedToColumns, type ProfileRow } from "../profiles/codec.ts";
import { type ActivityInput, activitiesFor } from "./activities.ts";
import { type BatchWrite, type ProfileUpsert, upsertProfiles, writeBatch } from "./bulk.ts";
import { loadHistories, lockAndLoadOwners } from "./owners.ts";
import { loopSlicer } from "./slicer.ts";
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
 * re-derive every touched profile (its stored fold plus the events after it), report the
 * changes. Advisory locks on
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
  for (const [shop, input] of fresh) {
    const { owners, rows: before, history, stored } = loaded.get(shop)!;
    // A retried event is stored already and its stored version counts: a fold must never
    // see it twice.
    const events = stored.size > 0 ? input.filter((e) => !stored.has(e.id)) : input;
    if (events.length === 0) continue;
    const outcome = stitchBatch(events, owners, (event) => ({ profileId: newId(), createdAt: event.receivedAt }));
    const survivors = new Set(outcome.profileOf.values());
    const createdIds = new Set(outcome.created.map((r) => r.profileId));
    const bornAt = new Map(outcome.created.map((ref) => [ref.profileId, ref.createdAt]));
    const storedMerged = [...outcome.merges.keys()].filter((id) => !createdIds.has(id));
    for (const [gone, survivor] of outcome.merges) {
      if (createdIds.has(gone)) continue;
      await tx.update(profileIdentities).set({ profileId: survivor }).where(and(eq(profileIdentities.shop, shop), eq(profileIdentities.profileId, gone)));
      await tx.update(profileEvents).set({ profileId: survivor }).where(and(eq(profileEvents.shop, shop), eq(profileEvents.profileId, gone)));
      await tx.update(profiles).set({ mergedInto: survivor, cart: [], fold: null, updatedAt: sql`now()` }).where(and(eq(profiles.shop, shop), eq(profiles.id, gone)));
    }
    const batchOf = new Map<string, CartEvent[]>();
    for (const event of events) push(batchOf, outcome.profileOf.get(event.id)!, event);
    const absorbed = new Map<string, string[]>();
    for (const gone of storedMerged) push(absorbed, outcome.merges.get(gone)!, gone);
    const { derived, folds } = await deriveSurvivors(tx, shop, [...survivors], { before, history, batchOf, absorbed }, options.rules);

    for (const [key, profileId] of outcome.newKeys) write.identities.push({ shop, key, profile_id: profileId });
    for (const e of events) {
      const { id, shop: _shop, occurredAt, receivedAt, source, ...body } = e;
      write.events.push({ shop, id, profile_id: outcome.profileOf.get(id)!, name: e.name, source, occurred_at: occurredAt.toISOString(), received_at: receivedAt.toISOString(), body });
    }
    for (const row of profileRows(derived, (id) => bornAt.get(id) ?? before.get(id)?.createdAt ?? new Date(), folds)) write.profiles.push({ shop, ...row });
    const receivedAt = new Map([...batchOf].map(([id, list]) => [id, new Date(Math.max(...list.map((e) => e.receivedAt.getTime())))]));
    plans.set(shop, { before, derived, activity: { survivors, merges: outcome.merges, mergedAt: outcome.mergedAt, storedMerged, receivedAt } });
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

interface Touched {
  before: Map<string, ProfileRow>;
  /** As loaded with the owners: from the stored fold on where there is one. */
  history: Map<string, CartEvent[]>;
  batchOf: Map<string, CartEvent[]>;
  /** Survivor → stored profiles merged into it by this batch. */
  absorbed: Map<string, string[]>;
}

/**
 * Each touched profile's derived state and the fold to store with it. A stored fold is
 * continued with the events after it (what the owners read loaded); a merged profile, a fold
 * the events cannot continue (a late event, see core's foldProfile) or one from another
 * version re-reads the whole history instead. The result is the same either way: a pure
 * function of the profile's set of events.
 */
async function deriveSurvivors(tx: Db, shop: string, survivors: string[], t: Touched, rules: CartRules | undefined) {
  const derived = new Map<string, DerivedProfile>();
  const folds = new Map<string, ProfileFold | null>();
  const whole: string[] = [];
  const slice = loopSlicer();
  for (const profileId of survivors) {
    await slice();
    const merged = t.absorbed.get(profileId) ?? [];
    const involved = [...(t.before.has(profileId) ? [profileId] : []), ...merged];
    const fold = merged.length === 0 ? storedFold(t.before.get(profileId)) : null;
    // Histories were read from their folds on: without a usable fold they are incomplete.
    if (!fold && involved.some((id) => t.before.get(id)?.fold != null)) {
      whole.push(profileId);
      continue;
    }
    const storedEvents = involved.flatMap((id) => t.history.get(id) ?? []);
    const after = fold ? storedEvents.filter((e) => isAfter(fold, e)) : storedEvents;
    const result = advanceFold(fold, canonicalOrder([...after, ...(t.batchOf.get(profileId) ?? [])]), rules);
    if (result === "whole_history") {
      whole.push(profileId);
      continue;
    }
    derived.set(profileId, result.derived);
    folds.set(profileId, result.fold);
  }
  // Merged events were moved to their survivor above, so a survivor's id finds them all.
  const histories = await loadHistories(tx, shop, whole);
  for (const profileId of whole) {
    await slice();
    const result = advanceFold(null, canonicalOrder([...histories.get(profileId)!, ...(t.batchOf.get(profileId) ?? [])]), rules);
    if (result === "whole_history") throw new Error("a fold from nothing always derives");
    derived.set(profileId, result.derived);
    folds.set(profileId, result.fold);
  }
  return { derived, folds };
}

function storedFold(row: ProfileRow | undefined): ProfileFold | null {
  const fold = row?.fold as ProfileFold | null | undefined;
  return fold && fold.version === 2 ? fold : null;
}

/** One statement for every touched profile: new ones are inserted, known ones updated; their folds are dropped. */
export async function writeProfiles(tx: Db, shop: string, derived: Map<string, DerivedProfile>, createdAt: (id: string) => Date) {
  await upsertProfiles(tx, shop, profileRows(derived, createdAt));
}

function profileRows(derived: Map<string, DerivedProfile>, createdAt: (id: string) => Date, folds?: Map<string, ProfileFold | null>): ProfileUpsert[] {
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
      fold: folds?.get(id) ?? null,
    };
  });
}

function push<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
