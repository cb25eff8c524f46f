import type { EpisodeState } from "@cartback/core/campaign/episode";
import type { LastEmail, ShownLine } from "@cartback/core/campaign/last-email";
import { type Db, campaignEpisodes, campaignSends } from "@cartback/db";
import { and, desc, eq, gte, inArray, max, ne, notInArray, sql } from "drizzle-orm";

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

/** Episodes' new states in one statement (a batch of sends decided together), ended at `at` when closed. */
export async function writeEpisodes(db: Db, writes: { id: string; shop: string; state: EpisodeState }[], at: Date) {
  await writeEpisodeStates(db, writes.map(({ id, shop, state }) => ({ id, shop, state, closedAt: state.status === "closed" ? at : null })));
}

/**
 * Live episodes of these profiles, locked: ingest decides from them and writes them back at
 * the end of its transaction, so a worker deciding one of them finishes first (or skips it).
 */
export async function lockLiveEpisodes(db: Db, shop: string, profileIds: string[]): Promise<EpisodeRow[]> {
  if (profileIds.length === 0) return [];
  return db
    .select()
    .from(campaignEpisodes)
    .where(and(eq(campaignEpisodes.shop, shop), inArray(campaignEpisodes.profileId, profileIds), ne(campaignEpisodes.status, "closed")))
    .for("update");
}

/** Episodes of these profiles that ended at or after `since` (a merge weighs them too). */
export async function endedEpisodes(db: Db, shop: string, profileIds: string[], since: Date): Promise<EpisodeRow[]> {
  if (profileIds.length === 0) return [];
  return db
    .select()
    .from(campaignEpisodes)
    .where(and(eq(campaignEpisodes.shop, shop), inArray(campaignEpisodes.profileId, profileIds), eq(campaignEpisodes.status, "closed"), gte(campaignEpisodes.closedAt, since)));
}

/** When each of these profiles last started an episode of each campaign (cool-downs). */
export async function lastStarts(db: Db, shop: string, profileIds: string[]): Promise<{ profileId: string; campaignId: string; startedAt: Date }[]> {
  if (profileIds.length === 0) return [];
  const rows = await db
    .select({ profileId: campaignEpisodes.profileId, campaignId: campaignEpisodes.campaignId, startedAt: max(campaignEpisodes.startedAt) })
    .from(campaignEpisodes)
    .where(and(eq(campaignEpisodes.shop, shop), inArray(campaignEpisodes.profileId, profileIds)))
    .groupBy(campaignEpisodes.profileId, campaignEpisodes.campaignId);
  return rows.flatMap((r) => (r.startedAt ? [{ profileId: r.profileId, campaignId: r.campaignId, startedAt: r.startedAt }] : []));
}

export interface StoredEmail extends LastEmail {
  profileId: string;
  campaignId: string;
}

/**
 * Each of these profiles' last email of each campaign, and the cart it showed (stored with
 * the send as `message.cart`). Failed and cancelled sends reached nobody, and test sends went
 * to the merchant: they do not count. The cart is read for the last send only: reading it
 * detoasts the whole rendered message.
 */
export async function lastEmails(db: Db, shop: string, profileIds: string[]): Promise<StoredEmail[]> {
  if (profileIds.length === 0) return [];
  const latest = db
    .selectDistinctOn([campaignSends.profileId, campaignSends.campaignId], {
      id: campaignSends.id,
      profileId: campaignSends.profileId,
      campaignId: campaignSends.campaignId,
      at: campaignSends.createdAt,
    })
    .from(campaignSends)
    .where(and(eq(campaignSends.shop, shop), inArray(campaignSends.profileId, profileIds), notInArray(campaignSends.status, ["failed", "cancelled", "test", "test_failed"])))
    .orderBy(campaignSends.profileId, campaignSends.campaignId, desc(campaignSends.createdAt))
    .as("latest");
  const rows = await db
    .select({
      profileId: latest.profileId,
      campaignId: latest.campaignId,
      at: latest.at,
      lines: sql<ShownLine[] | null>`(select s.message -> 'cart' from campaign_sends s where s.shop = ${shop} and s.id = "latest"."id")`,
    })
    .from(latest);
  return rows.map((r) => ({ ...r, lines: Array.isArray(r.lines) ? r.lines : null }));
}

export interface NewEpisode {
  id: string;
  shop: string;
  campaignId: string;
  profileId: string;
  state: EpisodeState;
  closedAt: Date | null;
}

/** New episodes in one statement. A concurrent opener for the same profile and campaign wins: that row is skipped. */
export async function insertEpisodes(db: Db, episodes: NewEpisode[]) {
  if (episodes.length === 0) return;
  await db
    .insert(campaignEpisodes)
    .values(episodes.map(({ id, shop, campaignId, profileId, state, closedAt }) => ({ id, shop, campaignId, profileId, ...state, closedAt })))
    .onConflictDoNothing();
}

/** Episodes' new states in one statement, each with its own end time. */
export async function writeEpisodeStates(db: Db, writes: { id: string; shop: string; state: EpisodeState; closedAt: Date | null }[]) {
  if (writes.length === 0) return;
  const rows = writes.map(
    ({ id, shop, state, closedAt }) =>
      sql`(${id}::text, ${shop}::text, ${state.status}::text, ${state.lastChangeAt}::timestamptz, ${state.nextStep}::int, ${state.dueAt}::timestamptz, ${state.closedReason}::text, ${closedAt}::timestamptz)`,
  );
  await db.execute(sql`
    update campaign_episodes e
    set status = v.status, last_change_at = v.last_change_at, next_step = v.next_step, due_at = v.due_at,
        closed_reason = v.closed_reason, closed_at = v.closed_at, updated_at = now()
    from (values ${sql.join(rows, sql`, `)}) as v(id, shop, status, last_change_at, next_step, due_at, closed_reason, closed_at)
    where e.shop = v.shop and e.id = v.id`);
}

/** Merged profiles' episodes, decisions and sends move to their survivor, in one statement. */
export async function moveToSurvivors(db: Db, shop: string, moves: Map<string, string>) {
  if (moves.size === 0) return;
  const rows = [...moves].map(([from, to]) => sql`(${from}::text, ${to}::text)`);
  await db.execute(sql`
    with m(from_id, to_id) as (values ${sql.join(rows, sql`, `)}),
    episodes as (update campaign_episodes t set profile_id = m.to_id from m where t.shop = ${shop} and t.profile_id = m.from_id),
    decisions as (update campaign_decisions t set profile_id = m.to_id from m where t.shop = ${shop} and t.profile_id = m.from_id)
    update campaign_sends t set profile_id = m.to_id from m where t.shop = ${shop} and t.profile_id = m.from_id`);
}
