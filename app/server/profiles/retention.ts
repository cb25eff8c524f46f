import { deriveProfile } from "@cartback/core/cart/derive";
import type { CartEvent } from "@cartback/core/events/event";
import type { Database, Db } from "@cartback/db";
import { profileEvents, profiles } from "@cartback/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import { writeProfiles } from "../ingest/apply.ts";
import { rowToEvent } from "./codec.ts";

/**
 * Bounds each profile's event history by the shop's retention (settings.eventRetentionDays,
 * 90 by default). Purchases and identity facts are kept: they are small and the campaign
 * engine needs them ("never after they bought"). Every touched profile is re-derived from
 * what is left, so the stored cart always matches its history: a cart nobody touched for
 * longer than the retention period expires instead of being emailed a season later.
 * Meant for a daily worker job; each call handles at most `limit` profiles.
 */
const KEPT = ["Charged", "Identify"];

export async function pruneEventHistory(
  database: Database,
  shop: string,
  options: { now: Date; retentionDays: number; limit?: number },
): Promise<{ profiles: number; deleted: number }> {
  const cutoff = new Date(options.now.getTime() - options.retentionDays * 24 * 60 * 60 * 1000);
  return database.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    // The ingest lock: a prune must not interleave with a batch re-deriving the same profiles.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`cartback:ingest:${shop}`}))`);
    const stale = await tx
      .selectDistinct({ profileId: profileEvents.profileId })
      .from(profileEvents)
      .where(and(eq(profileEvents.shop, shop), sql`${profileEvents.occurredAt} < ${cutoff}`, sql`${profileEvents.name} not in (${sql.join(KEPT.map((k) => sql`${k}`), sql`, `)})`))
      .limit(options.limit ?? 1000);
    const ids = stale.map((r) => r.profileId);
    if (ids.length === 0) return { profiles: 0, deleted: 0 };
    const deleted = await tx
      .delete(profileEvents)
      .where(and(eq(profileEvents.shop, shop), inArray(profileEvents.profileId, ids), sql`${profileEvents.occurredAt} < ${cutoff}`, sql`${profileEvents.name} not in (${sql.join(KEPT.map((k) => sql`${k}`), sql`, `)})`))
      .returning({ id: profileEvents.id });
    const rows = await tx.select().from(profileEvents).where(and(eq(profileEvents.shop, shop), inArray(profileEvents.profileId, ids)));
    const byProfile = new Map<string, CartEvent[]>(ids.map((id) => [id, []]));
    for (const row of rows) byProfile.get(row.profileId)?.push(rowToEvent(row));
    const created = await tx.select({ id: profiles.id, createdAt: profiles.createdAt }).from(profiles).where(and(eq(profiles.shop, shop), inArray(profiles.id, ids)));
    const createdAt = new Map(created.map((r) => [r.id, r.createdAt]));
    const derived = new Map([...byProfile].filter(([id]) => createdAt.has(id)).map(([id, events]) => [id, deriveProfile(events)]));
    await writeProfiles(tx, shop, derived, (id) => createdAt.get(id)!);
    return { profiles: ids.length, deleted: deleted.length };
  });
}
