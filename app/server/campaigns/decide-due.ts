import { type Db, campaignEpisodes } from "@cartback/db";
import { type SQL, type SQLWrapper, and, asc, inArray, lte, ne, sql } from "drizzle-orm";
import type { SchedulerContext } from "./context.ts";
import { type BatchSends, type Outcome, decideEpisode } from "./decide-episode.ts";
import { loadDueBatch } from "./due-batch.ts";
import type { EpisodeRow } from "./episodes.ts";
import { type SendRow, persistOutcomes, settleSlowRenders } from "./persist-outcomes.ts";

export { idempotencyKey } from "./due-batch.ts";
export type { SendRow } from "./persist-outcomes.ts";

/** Longest stretch a round decides and composes without letting the event loop run other work. */
const DECIDE_SLICE_MS = 2;

/**
 * One round of the scheduler, in one short transaction, in five steps that each read on their own:
 *   claim   up to `limit` due episodes (FOR UPDATE SKIP LOCKED: several workers split the work);
 *   load    what the rules need for the whole batch, a fixed number of statements (due-batch.ts);
 *   decide  each episode with core's rules (rules.ts `decide`, the only place a send rule lives);
 *   compose the email of each send (decide-episode.ts);
 *   persist decisions, episode states and outbox rows, one statement each (persist-outcomes.ts).
 * The sends come back leased to this worker; the caller delivers them after the commit.
 */
export async function decideDue(ctx: SchedulerContext, limit: number): Promise<{ decided: number; sends: SendRow[] }> {
  return ctx.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const now = ctx.now();
    const due = await claimDue(tx, ctx, limit, now);
    if (due.length === 0) return { decided: 0, sends: [] };
    const batch = await loadDueBatch(tx, ctx, due, now);
    const batchSends: BatchSends = new Map();
    const outcomes: Outcome[] = [];
    let slice = performance.now();
    for (const row of due) {
      outcomes.push(decideEpisode(ctx, batch, row, now, batchSends));
      // The worker's SMTP connections answer on this event loop: a batch rendered in one go
      // (tens of ms) held every one of them, each message waiting out its four round trips.
      if (performance.now() - slice >= DECIDE_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
    }
    await settleSlowRenders(tx, outcomes, now);
    return { decided: due.length, sends: await persistOutcomes(tx, outcomes, now) };
  });
}

/**
 * A webhook or storefront event (event_inbox) acknowledged before the step came due but not applied yet (a burst left it in the
 * inbox for the drain) may be this shopper's order or cart change: the shop's due episodes wait
 * until the drain has applied it, so the purchase check at send time sees everything Shopify
 * told us before the due time. Rows received after the due time do not hold the shop back (a
 * busy shop's stream never starves its sends), nor do rows the drain keeps failing on
 * (INBOX_GIVE_UP attempts: /healthz shows them as failing).
 *
 * Except this shopper's own purchase, whenever it arrived: a step claimed late (a loaded
 * worker, a backlog of due steps) would otherwise mail a shopper whose order was acknowledged
 * after the due time but before the claim (journeys on PGlite under load did). A queued
 * purchase carries its buyer's identity keys (purchase_keys); the step waits while one of them
 * belongs to its profile. One shopper's orders are few, so this never starves a send.
 */
export const INBOX_GIVE_UP = 3;

/**
 * Whether a purchase by this profile's shopper waits in either inbox: its buyer keys
 * (purchase_keys) name one of the profile's identities. For the claim below (columns) and the
 * check before a late handoff (deliver.ts, values).
 */
export function queuedPurchase(shop: SQLWrapper | string, profileId: SQLWrapper | string): SQL {
  const keys = sql`array(select p.key from profile_identities p where p.shop = ${shop} and p.profile_id = ${profileId})`;
  return sql`(exists (select 1 from webhook_inbox i where i.purchase_keys is not null and i.shop = ${shop}
    and i.attempts < ${INBOX_GIVE_UP} and i.purchase_keys && ${keys})
  or exists (select 1 from event_inbox e where e.purchase_keys is not null and e.shop = ${shop}
    and e.attempts < ${INBOX_GIVE_UP} and e.purchase_keys && ${keys}))`;
}

const inboxClear = sql`not exists (select 1 from webhook_inbox i where i.shop = ${campaignEpisodes.shop}
  and i.received_at <= ${campaignEpisodes.dueAt} and i.attempts < ${INBOX_GIVE_UP})
  and not exists (select 1 from event_inbox e where e.shop = ${campaignEpisodes.shop}
  and e.received_at <= ${campaignEpisodes.dueAt} and e.attempts < ${INBOX_GIVE_UP})
  and not ${queuedPurchase(campaignEpisodes.shop, campaignEpisodes.profileId)}`;

async function claimDue(tx: Db, ctx: SchedulerContext, limit: number, now: Date): Promise<EpisodeRow[]> {
  return tx
    .select()
    .from(campaignEpisodes)
    .where(and(ne(campaignEpisodes.status, "closed"), lte(campaignEpisodes.dueAt, now), inboxClear, ctx.onlyShops ? inArray(campaignEpisodes.shop, ctx.onlyShops) : undefined))
    .orderBy(asc(campaignEpisodes.dueAt))
    .limit(limit)
    .for("update", { skipLocked: true });
}
