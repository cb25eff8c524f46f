import { randomUUID } from "node:crypto";
import type { EpisodeState } from "@cartback/core/campaign/episode";
import { type Db, campaignEpisodes } from "@cartback/db";
import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";

export type EpisodeRow = typeof campaignEpisodes.$inferSelect;

export function episodeState(row: EpisodeRow): EpisodeState {
  return {
    status: row.status as EpisodeState["status"],
    startedAt: row.startedAt,
    lastChangeAt: row.lastChangeAt,
    nextStep: row.nextStep,
    dueAt: row.dueAt,
    closedReason: row.closedReason as EpisodeState["closedReason"],
  };
}

/** Open or waiting episodes of these profiles, every campaign. */
export async function liveEpisodes(db: Db, shop: string, profileIds: string[]): Promise<EpisodeRow[]> {
  return db
    .select()
    .from(campaignEpisodes)
    .where(and(eq(campaignEpisodes.shop, shop), inArray(campaignEpisodes.profileId, profileIds), ne(campaignEpisodes.status, "closed")));
}

export async function lastStartedAt(db: Db, shop: string, campaignId: string, profileId: string): Promise<Date | null> {
  const [row] = await db
    .select({ startedAt: campaignEpisodes.startedAt })
    .from(campaignEpisodes)
    .where(and(eq(campaignEpisodes.shop, shop), eq(campaignEpisodes.campaignId, campaignId), eq(campaignEpisodes.profileId, profileId)))
    .orderBy(desc(campaignEpisodes.startedAt))
    .limit(1);
  return row?.startedAt ?? null;
}

/** A concurrent opener for the same profile and campaign wins; this insert then does nothing. */
export async function insertEpisode(db: Db, key: { shop: string; campaignId: string; profileId: string }, state: EpisodeState) {
  await db
    .insert(campaignEpisodes)
    .values({ id: randomUUID(), ...key, ...state })
    .onConflictDoNothing();
}

export async function writeEpisode(db: Db, id: string, state: EpisodeState, at: Date) {
  await db
    .update(campaignEpisodes)
    .set({
      status: state.status,
      lastChangeAt: state.lastChangeAt,
      nextStep: state.nextStep,
      dueAt: state.dueAt,
      closedReason: state.closedReason,
      closedAt: state.status === "closed" ? at : null,
      updatedAt: new Date(),
    })
    .where(eq(campaignEpisodes.id, id));
}

/** `writeEpisode` for many episodes in one statement (a batch of sends decided together). */
export async function writeEpisodes(db: Db, writes: { id: string; state: EpisodeState }[], at: Date) {
  if (writes.length === 0) return;
  const rows = writes.map(({ id, state }) => {
    const closedAt = state.status === "closed" ? at : null;
    return sql`(${id}::text, ${state.status}::text, ${state.lastChangeAt}::timestamptz, ${state.nextStep}::int, ${state.dueAt}::timestamptz, ${state.closedReason}::text, ${closedAt}::timestamptz)`;
  });
  await db.execute(sql`
    update campaign_episodes e
    set status = v.status, last_change_at = v.last_change_at, next_step = v.next_step, due_at = v.due_at,
        closed_reason = v.closed_reason, closed_at = v.closed_at, updated_at = now()
    from (values ${sql.join(rows, sql`, `)}) as v(id, status, last_change_at, next_step, due_at, closed_reason, closed_at)
    where e.id = v.id`);
}
