import type { CartEvent } from "@cartback/core/events/event";
import { type ProfileRef, identityKeys, keyOf } from "@cartback/core/identity/stitch";
import { type Db, profileEvents, profileIdentities, profiles } from "@cartback/db";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { type ProfileRow, rowToEvent } from "../profiles/codec.ts";

/** What one shop's batch needs from the store before stitching. */
export interface Owners {
  /** Identifier key → the profile that owns it. */
  owners: Map<string, ProfileRef>;
  /** Every stored profile the batch touches (each owns one of its identifiers). */
  rows: Map<string, ProfileRow>;
  /**
   * Those profiles' event histories: for a profile with a stored fold only the events from
   * its last folded one on (the fold holds the rest), else all of them.
   */
  history: Map<string, CartEvent[]>;
  /** The batch's event ids those profiles have stored already (retries): their stored version counts. */
  stored: Set<string>;
}

interface StoredEvent {
  id: string;
  occurredAt: string;
  receivedAt: string;
  source: string;
  body: Record<string, unknown>;
}

/**
 * Locks what a batch touches, then reads who owns its identifiers together with those
 * profiles' rows and event histories. Locks, all transaction-scoped advisory locks:
 * - each shop's ingest lock, *shared*: ingest transactions of one shop run side by side,
 *   while a job that takes it exclusively (history retention) still excludes them all;
 * - one per identifier key of the batch: two transactions never create two profiles for one
 *   new identifier, nor stitch one identifier two ways;
 * - one per owning profile: a merge (which moves every identifier of the merged profile,
 *   also ones this batch does not carry) and an attach to that profile do not interleave.
 * Keys and profiles are locked in hash order so two transactions cannot deadlock on them. A
 * batch with more than MAX_KEY_LOCKS identifiers takes its shops' lock exclusively instead.
 * Separate statements on purpose: under READ COMMITTED a statement's snapshot predates a
 * lock it waits for, so the owners are read again once their profiles are locked, and if a
 * merge committed meanwhile moved an identifier, its new owner is locked and read too.
 */
/**
 * Above this many identifiers a batch locks its shops whole (exclusively) instead: advisory
 * locks take slots in PostgreSQL's shared lock table (max_locks_per_transaction × connections,
 * ~6,400 by default), which a few 2,000-event batches of distinct shoppers would exhaust.
 */
const MAX_KEY_LOCKS = 128;

export async function lockAndLoadOwners(tx: Db, batches: Map<string, readonly CartEvent[]>): Promise<Map<string, Owners>> {
  const shops = [...batches.keys()].sort();
  const out = new Map<string, Owners>(shops.map((shop) => [shop, { owners: new Map(), rows: new Map(), history: new Map(), stored: new Set() }]));
  const eventIds: string[] = [];
  const eventShops: string[] = [];
  for (const shop of shops) {
    for (const id of new Set(batches.get(shop)!.map((e) => e.id))) {
      eventIds.push(id);
      eventShops.push(shop);
    }
  }
  if (shops.length === 0) return out;
  const keyShops: string[] = [];
  const keys: string[] = [];
  for (const shop of shops) {
    for (const key of new Set(batches.get(shop)!.flatMap((e) => identityKeys(e.identifiers).map(keyOf)))) {
      keyShops.push(shop);
      keys.push(key);
    }
  }
  // Plain filters, not \`(shop, key) in (select … from unnest(…))\`: that semi-join let the planner
  // join every profile of the shop with the batch's keys before the identities (2 million rows,
  // 2-8 s for the event inbox's 2,000-event batches; issue 18). The pair test matters only when
  // a batch spans shops, and is a scalar filter the planner cannot reorder.
  const inBatch =
    shops.length === 1
      ? sql`${profileIdentities.shop} = ${shops[0]} and ${profileIdentities.key} = any(${sql.param(keys)}::text[])`
      : sql`${profileIdentities.shop} = any(${sql.param(shops)}::text[]) and ${profileIdentities.key} = any(${sql.param(keys)}::text[])
          and (${profileIdentities.shop} || chr(10) || ${profileIdentities.key}) = any(${sql.param(keys.map((key, i) => `${keyShops[i]}\n${key}`))}::text[])`;
  if (keys.length > MAX_KEY_LOCKS) {
    await lockShopsExclusively(tx, shops);
    return fill(out, await readOwners(tx, inBatch, eventShops, eventIds));
  }
  await lockKeys(tx, keyShops, keys);
  if (keys.length === 0) return out;
  // Identifiers nobody owns can only gain an owner under their key lock, which is ours: when
  // no identifier has an owner (new shoppers), there is nothing more to lock or read.
  const locked = new Set(await lockProfiles(tx, sql`
    select distinct ${profileIdentities.shop} || chr(10) || ${profileIdentities.profileId} as p from ${profileIdentities} where ${inBatch}`));
  if (locked.size === 0) return out;
  for (;;) {
    const found = await readOwners(tx, inBatch, eventShops, eventIds);
    const missing = found.map(({ profile }) => `${profile.shop}\n${profile.id}`).filter((o) => !locked.has(o));
    if (missing.length > 0) {
      for (const o of await lockProfiles(tx, sql`select unnest(${sql.param(missing)}::text[]) as p`)) locked.add(o);
      continue;
    }
    return fill(out, found);
  }
}

/** Each shop's ingest lock, exclusively: no ingest transaction of those shops runs meanwhile. */
export async function lockShopsExclusively(tx: Db, shops: readonly string[]): Promise<void> {
  await tx.execute(sql`select count(pg_advisory_xact_lock(hashtext('cartback:ingest:' || s))) from unnest(${sql.param([...shops])}::text[]) as s`);
}

/** The shops' ingest locks shared, then one lock per (shop, identifier key), in hash order. */
async function lockKeys(tx: Db, keyShops: readonly string[], keys: readonly string[]): Promise<void> {
  await tx.execute(sql`
    select count(pg_advisory_xact_lock(l.h)) from (
      select distinct hashtextextended('cartback:ingest:key:' || x.shop || chr(10) || x.key, 0) as h
      from unnest(${sql.param([...keyShops])}::text[], ${sql.param([...keys])}::text[]) as x(shop, key)
      where pg_advisory_xact_lock_shared(hashtext('cartback:ingest:' || x.shop)) is not null
      order by h) l`);
}

/**
 * For a writer outside ingest that changes or deletes one shopper's rows (GDPR redaction):
 * takes the locks ingest would take for these identifier keys, in ingest's order (shop lock
 * shared, keys, then the owning profiles, each in hash order), so the writer and a racing
 * ingest queue on the locks instead of deadlocking on rows they lock from different ends.
 * `profilesOf` reads the profile ids to lock; it runs again once they are locked, and any it
 * names then (a merge committed meanwhile) are locked too. Returns its last answer.
 */
export async function lockShopperAsIngestDoes(tx: Db, shop: string, keys: readonly string[], profilesOf: () => Promise<string[]>): Promise<string[]> {
  await lockKeys(tx, keys.map(() => shop), keys);
  const locked = new Set<string>();
  for (;;) {
    const ids = await profilesOf();
    const missing = ids.filter((id) => !locked.has(id));
    if (missing.length === 0) return ids;
    const owned = sql`select ${shop}::text || chr(10) || x as p from unnest(${sql.param(missing)}::text[]) as x`;
    for (const p of await lockProfiles(tx, owned)) locked.add(p.slice(shop.length + 1));
  }
}

function fill(out: Map<string, Owners>, found: Awaited<ReturnType<typeof readOwners>>): Map<string, Owners> {
  for (const { keys: owned, profile, history: stored, retried } of found) {
    const mine = out.get(profile.shop)!;
    for (const pair of retried) {
      const cut = pair.indexOf("\n");
      out.get(pair.slice(0, cut))?.stored.add(pair.slice(cut + 1));
    }
    for (const key of owned) mine.owners.set(key, { profileId: profile.id, createdAt: profile.createdAt });
    mine.rows.set(profile.id, profile);
    mine.history.set(
      profile.id,
      stored.map((e) => rowToEvent({ shop: profile.shop, id: e.id, occurredAt: new Date(e.occurredAt), receivedAt: new Date(e.receivedAt), source: e.source, body: e.body })),
    );
  }
  return out;
}

/** Locks the profiles (`shop\nid`) the query yields as `p`, in hash order; returns them. */
async function lockProfiles(tx: Db, query: SQL): Promise<string[]> {
  const result = (await tx.execute(sql`
    select l.p from (select q.p, hashtextextended('cartback:ingest:profile:' || q.p, 0) as h from (${query}) q order by h) l
    where pg_advisory_xact_lock(l.h) is not null`)) as unknown as { rows: { p: string }[] };
  return result.rows.map((r) => r.p);
}

function readOwners(tx: Db, inBatch: SQL, eventShops: string[], eventIds: string[]) {
  return tx
    .select({
      keys: sql<string[]>`array_agg(${profileIdentities.key})`,
      profile: profiles,
      history: sql<StoredEvent[]>`(
        select coalesce(jsonb_agg(jsonb_build_object('id', e.id, 'occurredAt', e.occurred_at, 'receivedAt', e.received_at, 'source', e.source, 'body', e.body)), '[]'::jsonb)
        from ${profileEvents} e where e.shop = ${profiles.shop} and e.profile_id = ${profiles.id}
          and e.occurred_at >= coalesce(to_timestamp(((${profiles.fold} -> 'last' ->> 'at')::bigint - 1) / 1000.0), '-infinity'))`,
      // The batch's ids stored already (\`shop\nid\`), looked up by primary key, one probe per
      // incoming id. Uncorrelated, so computed once per statement: per profile (as before) it was
      // ids × profiles probes, 14.6 s for a drain batch of 2,000 browsers' events (issue 18).
      // Written as \`e.id = any(…) and e.profile_id = …\`, the planner could take the (shop,
      // profile_id) index and filter a profile's whole history (156 ms at 20,000 events).
      retried: sql<string[]>`(
        select coalesce(array_agg(r.shop || chr(10) || r.id), '{}') from unnest(${sql.param(eventShops)}::text[], ${sql.param(eventIds)}::text[]) as r(shop, id)
        where exists (select 1 from ${profileEvents} x where x.shop = r.shop and x.id = r.id))`,
    })
    .from(profileIdentities)
    .innerJoin(profiles, and(eq(profiles.shop, profileIdentities.shop), eq(profiles.id, profileIdentities.profileId)))
    .where(inBatch)
    .groupBy(profiles.shop, profiles.id);
}

/** The whole stored histories of these profiles (when a stored fold cannot be continued). */
export async function loadHistories(tx: Db, shop: string, profileIds: readonly string[]): Promise<Map<string, CartEvent[]>> {
  const out = new Map<string, CartEvent[]>(profileIds.map((id) => [id, []]));
  if (profileIds.length === 0) return out;
  const rows = await tx
    .select({ profileId: profileEvents.profileId, id: profileEvents.id, occurredAt: profileEvents.occurredAt, receivedAt: profileEvents.receivedAt, source: profileEvents.source, body: profileEvents.body })
    .from(profileEvents)
    .where(and(eq(profileEvents.shop, shop), inArray(profileEvents.profileId, [...profileIds])));
  for (const row of rows) out.get(row.profileId)?.push(rowToEvent({ ...row, shop, body: row.body as Record<string, unknown> }));
  return out;
}
