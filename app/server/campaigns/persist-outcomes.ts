import { type Db, campaignDecisions, type campaignSends } from "@cartback/db";
import { type SQL, and, count, eq, inArray, sql } from "drizzle-orm";
import { recordDecisions } from "./decisions.ts";
import type { NewSend, Outcome } from "./decide-episode.ts";

export type SendRow = typeof campaignSends.$inferSelect;

const RENDER_SLOW = "render_slow";
const RENDER_SLOW_TRIES = 5;
const RENDER_SLOW_RETRY_MS = 60_000;

/**
 * A render out of its send-time budget is not the template's fault once it passed its save
 * check (a starved machine): tried again after 1 min, doubling, 5 times; then it fails like a
 * broken template. One statement reads the earlier tries of every such episode in the batch.
 */
export async function settleSlowRenders(tx: Db, outcomes: Outcome[], now: Date): Promise<void> {
  const slow = outcomes.filter((o) => o.slowRender);
  if (slow.length === 0) return;
  const rows = await tx
    .select({ episodeId: campaignDecisions.episodeId, n: count() })
    .from(campaignDecisions)
    .where(and(inArray(campaignDecisions.shop, [...new Set(slow.map((o) => o.row.shop))]), inArray(campaignDecisions.episodeId, slow.map((o) => o.row.id)), eq(campaignDecisions.reason, RENDER_SLOW)))
    .groupBy(campaignDecisions.episodeId);
  const tries = new Map(rows.map((r) => [r.episodeId, Number(r.n)]));
  for (const outcome of slow) {
    const { row } = outcome;
    const { message, advanced } = outcome.slowRender!;
    const base = { shop: row.shop, profileId: row.profileId, campaignId: row.campaignId, episodeId: row.id, step: row.nextStep, at: now, detail: message };
    const before = tries.get(row.id) ?? 0;
    if (before < RENDER_SLOW_TRIES) {
      const until = new Date(now.getTime() + RENDER_SLOW_RETRY_MS * 2 ** before);
      outcome.episode = { ...outcome.episode, dueAt: until };
      outcome.decision = { ...base, outcome: "deferred", reason: RENDER_SLOW, until };
    } else {
      outcome.episode = advanced;
      outcome.decision = { ...base, outcome: "failed", reason: "render_failed" };
    }
    outcome.slowRender = undefined;
  }
}

/**
 * Writes a batch's outcomes in three statements (decisions, episodes, outbox rows), in the
 * claim's transaction. Returns the sends inserted: a step another worker already inserted
 * (unique idempotency key) is not returned, so it is not delivered twice.
 */
export async function persistOutcomes(tx: Db, outcomes: Outcome[], now: Date): Promise<SendRow[]> {
  await recordDecisions(tx, outcomes.flatMap((o) => (o.decision ? [o.decision] : [])));
  await writeOutcomeEpisodes(tx, outcomes, now);
  const sends = outcomes.flatMap((o) => (o.send ? [o.send] : []));
  return sends.length === 0 ? [] : insertSends(tx, sends);
}

/**
 * The outbox rows in one statement with one parameter: the batch as a JSON array, each message
 * serialised once (a Drizzle insert mapped ~15 parameters per row). Only the ids come back:
 * the rows are built from what was inserted, so the composed messages are not parsed back.
 */
async function insertSends(tx: Db, sends: NewSend[]): Promise<SendRow[]> {
  const rows = sends.map((s) => ({
    id: s.id, shop: s.shop, campaign_id: s.campaignId, episode_id: s.episodeId, profile_id: s.profileId, step: s.step, variant: s.variant ?? null,
    idempotency_key: s.idempotencyKey, status: s.status, to_email: s.toEmail, message: s.message, discount: s.discount ?? null,
    due_at: s.dueAt, created_at: s.createdAt ?? null, next_attempt_at: s.nextAttemptAt ?? null,
  }));
  const inserted = await rowsOf<{ id: string }>(tx, sql`
    insert into campaign_sends (id, shop, campaign_id, episode_id, profile_id, step, variant, idempotency_key, status, to_email, message, discount, due_at, created_at, next_attempt_at)
    select id, shop, campaign_id, episode_id, profile_id, step, variant, idempotency_key, status, to_email, message, discount, due_at, coalesce(created_at, now()), next_attempt_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id text, shop text, campaign_id text, episode_id text, profile_id text, step int, variant text,
      idempotency_key text, status text, to_email text, message jsonb, discount jsonb, due_at timestamptz, created_at timestamptz, next_attempt_at timestamptz)
    on conflict do nothing
    returning id`);
  const ours = new Set(inserted.map((r) => r.id));
  return sends.filter((s) => ours.has(s.id)).map(sendRowOf);
}

/**
 * The batch's episodes' new states (episodes.ts writeEpisodes, ended at `at` when closed) in one
 * statement with one JSON parameter, instead of eight bound parameters per episode.
 */
async function writeOutcomeEpisodes(tx: Db, outcomes: Outcome[], at: Date): Promise<void> {
  if (outcomes.length === 0) return;
  const rows = outcomes.map(({ row, episode: e }) => ({
    id: row.id, shop: row.shop, status: e.status, last_change_at: e.lastChangeAt, next_step: e.nextStep, due_at: e.dueAt, closed_reason: e.closedReason,
    closed_at: e.status === "closed" ? at : null,
  }));
  await tx.execute(sql`
    update campaign_episodes e
    set status = v.status, last_change_at = v.last_change_at, next_step = v.next_step, due_at = v.due_at,
        closed_reason = v.closed_reason, closed_at = v.closed_at, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(id text, shop text, status text, last_change_at timestamptz, next_step int, due_at timestamptz, closed_reason text, closed_at timestamptz)
    where e.shop = v.shop and e.id = v.id`);
}

/** The row as stored (the columns' defaults filled in); `discount` as it reads back from jsonb. */
function sendRowOf(s: NewSend): SendRow {
  return {
    id: s.id!, shop: s.shop, campaignId: s.campaignId, episodeId: s.episodeId, profileId: s.profileId, step: s.step, variant: s.variant ?? null,
    idempotencyKey: s.idempotencyKey, status: s.status, toEmail: s.toEmail, message: s.message, raw: null, transport: null, attempts: 0,
    nextAttemptAt: s.nextAttemptAt ?? null, dueAt: s.dueAt, lastError: null, createdAt: s.createdAt!, sentAt: null,
    discount: s.discount ? (JSON.parse(JSON.stringify(s.discount)) as Record<string, unknown>) : null, discountCode: null,
  };
}

async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return (result as { rows?: T[] }).rows ?? (result as unknown as T[]);
}
