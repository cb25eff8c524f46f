import type { CartEvent } from "@cartback/core/events/event";
import { type ProfileRef, identityKeys, keyOf } from "@cartback/core/identity/stitch";
import { type Db, profileEvents, profileIdentities, profiles } from "@cartback/db";
import { and, eq, sql } from "drizzle-orm";
import { type ProfileRow, rowToEvent } from "../profiles/codec.ts";

/** What one shop's batch needs from the store before stitching. */
export interface Owners {
  /** Identifier key → the profile that owns it. */
  owners: Map<string, ProfileRef>;
  /** Every stored profile the batch touches (each owns one of its identifiers). */
  rows: Map<string, ProfileRow>;
  /** Those profiles' event histories. */
  history: Map<string, CartEvent[]>;
}

interface StoredEvent {
  id: string;
  occurredAt: string;
  receivedAt: string;
  source: string;
  body: Record<string, unknown>;
}

/**
 * Takes the ingest lock of every shop (in name order, so two transactions locking several
 * shops cannot deadlock), then reads, in one statement for all shops, who owns the
 * batches' identifiers together with those profiles' rows and event histories. Two
 * statements on purpose: under READ COMMITTED a statement's snapshot predates a lock it
 * waits for, so a combined statement would miss identities the previous holder committed.
 */
export async function lockAndLoadOwners(tx: Db, batches: Map<string, readonly CartEvent[]>): Promise<Map<string, Owners>> {
  const shops = [...batches.keys()].sort();
  const out = new Map<string, Owners>(shops.map((shop) => [shop, { owners: new Map(), rows: new Map(), history: new Map() }]));
  if (shops.length === 0) return out;
  // unnest yields the array in order, so the locks are taken in name order.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('cartback:ingest:' || s)) from unnest(${sql.param(shops)}::text[]) as s`);
  const keyShops: string[] = [];
  const keys: string[] = [];
  for (const shop of shops) {
    for (const key of new Set(batches.get(shop)!.flatMap((e) => identityKeys(e.identifiers).map(keyOf)))) {
      keyShops.push(shop);
      keys.push(key);
    }
  }
  if (keys.length === 0) return out;
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
    .where(sql`(${profileIdentities.shop}, ${profileIdentities.key}) in (select * from unnest(${sql.param(keyShops)}::text[], ${sql.param(keys)}::text[]))`)
    .groupBy(profiles.shop, profiles.id);
  for (const { keys: owned, profile, history: stored } of found) {
    const mine = out.get(profile.shop)!;
    for (const key of owned) mine.owners.set(key, { profileId: profile.id, createdAt: profile.createdAt });
    mine.rows.set(profile.id, profile);
    mine.history.set(
      profile.id,
      stored.map((e) => rowToEvent({ shop: profile.shop, id: e.id, occurredAt: new Date(e.occurredAt), receivedAt: new Date(e.receivedAt), source: e.source, body: e.body })),
    );
  }
  return out;
}
