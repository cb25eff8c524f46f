import { type Db, campaignDecisions, campaignSends } from "@cartback/db";
import { and, count, eq, inArray } from "drizzle-orm";
import { recordDecisions } from "./decisions.ts";
import type { Outcome } from "./decide-episode.ts";
import { writeEpisodes } from "./episodes.ts";

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
  await writeEpisodes(tx, outcomes.map((o) => ({ id: o.row.id, shop: o.row.shop, state: o.episode })), now);
  const sends = outcomes.flatMap((o) => (o.send ? [o.send] : []));
  return sends.length === 0 ? [] : tx.insert(campaignSends).values(sends).onConflictDoNothing().returning();
}
