import { MAX_SEND_ATTEMPTS, retryDelayMs } from "@cartback/core/campaign/retry";
import { type Db, campaignSends } from "@cartback/db";
import { and, asc, eq, inArray, lte, or, sql } from "drizzle-orm";
import { settleDiscount } from "../discounts/settle.ts";
import type { MailTransport } from "../mail/transport.ts";
import type { SchedulerContext } from "./context.ts";
import type { SendRow } from "./decide-due.ts";
import { recordDecision } from "./decisions.ts";
import { retryStillWanted } from "./recheck.ts";
import { suppress } from "./suppressions.ts";
import { shopUninstalledNow } from "./uninstalled.ts";

/**
 * Sends whose worker died (lease ran out) or whose retry time came: claimed like due
 * episodes and leased again. A send leased to a live worker is never taken.
 */
export async function claimRecoverable(ctx: SchedulerContext, limit: number): Promise<SendRow[]> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const rows = await tx
      .select({ id: campaignSends.id })
      .from(campaignSends)
      .where(and(inArray(campaignSends.status, ["sending", "retry"]), lte(campaignSends.nextAttemptAt, now), ctx.onlyShops ? inArray(campaignSends.shop, ctx.onlyShops) : undefined))
      .orderBy(asc(campaignSends.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (rows.length === 0) return [];
    return tx
      .update(campaignSends)
      .set({ status: "sending", nextAttemptAt: new Date(now.getTime() + ctx.leaseMs) })
      .where(inArray(campaignSends.id, rows.map((r) => r.id)))
      .returning();
  });
}

/**
 * Sends a stopping worker claimed but never started: due again at once instead of when their
 * lease runs out. Only rows still under this worker's lease (same expiry) are touched.
 */
export async function releaseLeases(ctx: SchedulerContext, sends: SendRow[]): Promise<void> {
  const leased = sends.filter((s) => s.nextAttemptAt);
  if (leased.length === 0) return;
  const ours = leased.map((s) => and(eq(campaignSends.id, s.id), eq(campaignSends.nextAttemptAt, s.nextAttemptAt!)));
  await ctx.db
    .update(campaignSends)
    .set({ nextAttemptAt: ctx.now() })
    .where(and(eq(campaignSends.status, "sending"), or(...ours)));
}

/**
 * Hands one leased send to the transport and records the outcome. The row said "sending"
 * before the transport was called; the only window for a duplicate is a crash between the
 * relay's 250 and the commit below, which then re-sends under the same Message-ID.
 */
export async function deliver(ctx: SchedulerContext, transport: MailTransport, send: SendRow, options: { resumed?: boolean } = {}): Promise<void> {
  const mine = and(eq(campaignSends.id, send.id), eq(campaignSends.status, "sending"));
  // Still ours? The lease is renewed right before the transport is called; if it ran out and
  // another worker (or a later round of this one) resumed the send, this copy stands down.
  if (!(await renewLease(ctx, send))) return;
  // Resumed (a retry, or a dead worker's send): every rule again. Decided just now: only
  // whether the shop uninstalled since (app/uninstalled stops every send at once).
  const resumed = options.resumed || send.attempts > 0;
  const reason = resumed ? await retryStillWanted(ctx, send) : (await shopUninstalledNow(ctx, send.shop)) ? "shop_uninstalled" : null;
  if (reason) {
    await cancel(ctx, send, reason, resumed ? "checked again before a retry" : "checked again before sending");
    return;
  }
  // The step's discount code is created now, for an email that is certainly going out (settle.ts).
  const { message, withoutCode, code } = await settleDiscount(ctx, send);
  const result = await transport.send(message);
  const now = ctx.now();
  const attempts = send.attempts + 1;
  const base = { shop: send.shop, profileId: send.profileId, campaignId: send.campaignId, episodeId: send.episodeId, step: send.step, variant: send.variant, at: now };
  if (result.type === "sent") {
    await markSent(ctx.db, send, { at: now, attempts, raw: result.raw, transport: transport.kind, withoutCode, code });
    return;
  }
  await ctx.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const { outcome } = result;
    if (outcome.type === "transient" && attempts < MAX_SEND_ATTEMPTS) {
      const next = new Date(now.getTime() + retryDelayMs(attempts, ctx.retryBaseMs));
      await tx.update(campaignSends).set({ status: "retry", attempts, nextAttemptAt: next, lastError: result.error }).where(mine);
      await recordDecision(tx, { ...base, outcome: "retrying", reason: `smtp_${outcome.code ?? "connection"}`, until: next, detail: result.error });
      return;
    }
    await tx.update(campaignSends).set({ status: "failed", attempts, nextAttemptAt: null, lastError: result.error }).where(mine);
    const reason = outcome.type === "permanent" ? `smtp_${outcome.code}` : "retries_exhausted";
    await recordDecision(tx, { ...base, outcome: "failed", reason, detail: result.error });
    if (outcome.type === "permanent" && outcome.hardBounce) await suppress(tx, send.shop, send.toEmail, "hard_bounce", result.error);
  });
}

async function cancel(ctx: SchedulerContext, send: SendRow, reason: string, detail: string) {
  const at = ctx.now();
  await ctx.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await tx.update(campaignSends).set({ status: "cancelled", nextAttemptAt: null }).where(and(eq(campaignSends.id, send.id), eq(campaignSends.status, "sending")));
    await recordDecision(tx, { shop: send.shop, profileId: send.profileId, campaignId: send.campaignId, episodeId: send.episodeId, step: send.step, at, outcome: "skipped", reason, detail });
  });
}

async function renewLease(ctx: SchedulerContext, send: SendRow): Promise<boolean> {
  if (!send.nextAttemptAt) return false;
  // A send decided moments ago by this worker still holds most of its lease: no other worker
  // can claim it before it runs out, and the transport gives up (timeouts) long before half
  // of it has passed. Renewing then would only cost a round trip per email.
  if (send.attempts === 0 && send.nextAttemptAt.getTime() - ctx.now().getTime() > ctx.leaseMs / 2) return true;
  const renewed = await ctx.db
    .update(campaignSends)
    .set({ nextAttemptAt: new Date(ctx.now().getTime() + ctx.leaseMs) })
    .where(and(eq(campaignSends.id, send.id), eq(campaignSends.status, "sending"), eq(campaignSends.nextAttemptAt, send.nextAttemptAt)))
    .returning({ id: campaignSends.id });
  return renewed.length > 0;
}

/**
 * One statement, one round trip: the time between the relay's 250 and this commit is the
 * only window in which a crash duplicates an email, so it is kept as short as possible.
 */
async function markSent(db: Db, send: SendRow, done: { at: Date; attempts: number; raw: string | null; transport: string; withoutCode: { reason: string; detail: string } | null; code: string | null }) {
  const messageId = (send.message as { messageId?: string }).messageId ?? null;
  // Sent without its discount code: the reason and why, where the merchant reads the send.
  const reason = done.withoutCode?.reason ?? null;
  const detail = done.withoutCode ? `${done.withoutCode.detail}; ${messageId}` : done.code ? `discount code ${done.code}; ${messageId}` : messageId;
  await db.execute(sql`
    with s as (
      update campaign_sends
      set status = 'sent', sent_at = ${done.at}, attempts = ${done.attempts}, raw = ${done.raw},
          transport = ${done.transport}, last_error = null, next_attempt_at = null
      where id = ${send.id} and status = 'sending'
      returning shop, profile_id, campaign_id, episode_id, step, variant
    )
    insert into campaign_decisions (shop, profile_id, campaign_id, episode_id, step, variant, outcome, reason, detail, at)
    select shop, profile_id, campaign_id, episode_id, step, variant, 'sent', ${reason}, ${detail}, ${done.at} from s`);
}
