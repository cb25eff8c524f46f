import { MAX_SEND_ATTEMPTS, retryDelayMs } from "@cartback/core/campaign/retry";
import { type Db, campaignSends } from "@cartback/db";
import { and, asc, eq, inArray, lte, notInArray, or } from "drizzle-orm";
import { settleDiscount } from "../discounts/settle.ts";
import type { MailTransport } from "../mail/transport.ts";
import type { SchedulerContext } from "./context.ts";
import type { SendRow } from "./decide-due.ts";
import { recordDecision } from "./decisions.ts";
import { fenceLease, recordSent } from "./lease-fence.ts";
import { purchaseQueued, retryStillWanted } from "./recheck.ts";
import { suppress } from "./suppressions.ts";
import { shopUninstalledNow } from "./uninstalled.ts";

/**
 * A send handed over longer than this after its decision is checked as a resumed one: under
 * load a worker's deliveries queue behind each other, and an order may have arrived meanwhile.
 */
const FRESH_DECISION_MS = 2_000;
/** How long a send waits for a queued purchase to be applied before it is checked again. */
const POSTPONE_MS = 5_000;

/**
 * Sends whose worker died (lease ran out) or whose retry time came: claimed like due
 * episodes and leased again. A send leased to a live worker is never taken. `held`: the
 * calling worker's own sends in memory; one that outlived its lease on a stalled machine is
 * still this worker's to deliver, not an abandoned one to send a second time.
 */
export async function claimRecoverable(ctx: SchedulerContext, limit: number, held: string[] = []): Promise<SendRow[]> {
  const now = ctx.now();
  // One statement (asked every round): the locked subquery keeps two workers off the same rows.
  const due = ctx.db
    .select({ id: campaignSends.id })
    .from(campaignSends)
    .where(
      and(
        inArray(campaignSends.status, ["sending", "retry"]),
        lte(campaignSends.nextAttemptAt, now),
        ctx.onlyShops ? inArray(campaignSends.shop, ctx.onlyShops) : undefined,
        held.length > 0 ? notInArray(campaignSends.id, held) : undefined,
      ),
    )
    .orderBy(asc(campaignSends.nextAttemptAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  return ctx.db
    .update(campaignSends)
    .set({ status: "sending", nextAttemptAt: new Date(now.getTime() + ctx.leaseMs) })
    .where(inArray(campaignSends.id, due))
    .returning();
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
 * Hands one leased send to the transport and records the outcome. The lease is taken again
 * right before the handoff (lease-fence.ts): a worker overtaken by another stands down there.
 * What remains is a crash between the relay's 250 and the record, or a worker frozen for a
 * whole lease after its fence; either re-sends under the same Message-ID.
 */
export async function deliver(ctx: SchedulerContext, transport: MailTransport, send: SendRow, options: { resumed?: boolean } = {}): Promise<void> {
  // Still ours? Asked before the rules and the discount code too, so a copy overtaken while it
  // waited for a delivery slot stands down before any work.
  let token = await renewLease(ctx, send);
  if (!token) return;
  // Resumed (a retry, or a dead worker's send), or decided a while ago (a loaded worker): every
  // rule again, and a purchase still queued in an inbox holds it. Decided just now: only
  // whether the shop uninstalled since (app/uninstalled stops every send at once).
  const resumed = options.resumed || send.attempts > 0 || ctx.now().getTime() - send.createdAt.getTime() > FRESH_DECISION_MS;
  if (resumed && (await purchaseQueued(ctx.db as Db, send.shop, send.profileId))) {
    await postpone(ctx, send, token, "purchase_queued", "a purchase by this shopper is acknowledged and not applied yet");
    return;
  }
  const reason = resumed ? await retryStillWanted(ctx, send) : (await shopUninstalledNow(ctx, send.shop)) ? "shop_uninstalled" : null;
  if (reason) {
    await cancel(ctx, send, token, reason, resumed ? "checked again before a retry" : "checked again before sending");
    return;
  }
  // The step's discount code is created now, for an email that is certainly going out (settle.ts).
  const { message, withoutCode, code } = await settleDiscount(ctx, send);
  token = await fenceLease(ctx.db, send, token, ctx.now(), ctx.leaseMs);
  if (!token) {
    ctx.logger.info({ send: send.id }, "lease taken over by another worker before the handoff; this copy stands down");
    return;
  }
  const result = await transport.send(message);
  const now = ctx.now();
  const attempts = send.attempts + 1;
  const base = { shop: send.shop, profileId: send.profileId, campaignId: send.campaignId, episodeId: send.episodeId, step: send.step, variant: send.variant, at: now };
  if (result.type === "sent") {
    const messageId = (send.message as { messageId?: string }).messageId ?? null;
    // Sent without its discount code: the reason and why, where the merchant reads the send.
    const detail = withoutCode ? `${withoutCode.detail}; ${messageId}` : code ? `discount code ${code}; ${messageId}` : messageId;
    await recordSent(ctx.db, send, { at: now, attempts, raw: result.raw, transport: transport.kind, reason: withoutCode?.reason ?? null, detail });
    return;
  }
  // A failure is recorded only under this worker's lease: another worker may be sending it now.
  const mine = and(eq(campaignSends.id, send.id), eq(campaignSends.status, "sending"), eq(campaignSends.nextAttemptAt, token));
  await ctx.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const { outcome } = result;
    if (outcome.type === "transient" && attempts < MAX_SEND_ATTEMPTS) {
      const next = new Date(now.getTime() + retryDelayMs(attempts, ctx.retryBaseMs));
      const kept = await tx.update(campaignSends).set({ status: "retry", attempts, nextAttemptAt: next, lastError: result.error }).where(mine).returning({ id: campaignSends.id });
      if (kept.length === 0) return;
      await recordDecision(tx, { ...base, outcome: "retrying", reason: `smtp_${outcome.code ?? "connection"}`, until: next, detail: result.error });
      return;
    }
    const failed = await tx.update(campaignSends).set({ status: "failed", attempts, nextAttemptAt: null, lastError: result.error }).where(mine).returning({ id: campaignSends.id });
    if (failed.length === 0) return;
    const reason = outcome.type === "permanent" ? `smtp_${outcome.code}` : "retries_exhausted";
    await recordDecision(tx, { ...base, outcome: "failed", reason, detail: result.error });
    if (outcome.type === "permanent" && outcome.hardBounce) await suppress(tx, send.shop, send.toEmail, "hard_bounce", result.error);
  });
}

/**
 * Back to the outbox for a moment, not an attempt: the resumed send is checked against every
 * rule again then (claimRecoverable), by which time the drain has applied what it waited for.
 */
async function postpone(ctx: SchedulerContext, send: SendRow, token: Date, reason: string, detail: string) {
  const at = ctx.now();
  const until = new Date(at.getTime() + POSTPONE_MS);
  await ctx.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const ours = and(eq(campaignSends.id, send.id), eq(campaignSends.status, "sending"), eq(campaignSends.nextAttemptAt, token));
    const kept = await tx.update(campaignSends).set({ status: "retry", nextAttemptAt: until }).where(ours).returning({ id: campaignSends.id });
    if (kept.length === 0) return;
    await recordDecision(tx, { shop: send.shop, profileId: send.profileId, campaignId: send.campaignId, episodeId: send.episodeId, step: send.step, variant: send.variant, at, outcome: "deferred", reason, until, detail });
  });
}

async function cancel(ctx: SchedulerContext, send: SendRow, token: Date, reason: string, detail: string) {
  const at = ctx.now();
  await ctx.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const ours = and(eq(campaignSends.id, send.id), eq(campaignSends.status, "sending"), eq(campaignSends.nextAttemptAt, token));
    const cancelled = await tx.update(campaignSends).set({ status: "cancelled", nextAttemptAt: null }).where(ours).returning({ id: campaignSends.id });
    if (cancelled.length === 0) return;
    await recordDecision(tx, { shop: send.shop, profileId: send.profileId, campaignId: send.campaignId, episodeId: send.episodeId, step: send.step, at, outcome: "skipped", reason, detail });
  });
}

/** The send's lease token (its expiry) if it is still this worker's, renewed when needed; else null. */
async function renewLease(ctx: SchedulerContext, send: SendRow): Promise<Date | null> {
  if (!send.nextAttemptAt) return null;
  // A send decided moments ago by this worker still holds most of its lease: no other worker
  // can claim it yet, and the fence before the handoff checks again. Renewing here would only
  // cost a round trip per email.
  if (send.attempts === 0 && send.nextAttemptAt.getTime() - ctx.now().getTime() > ctx.leaseMs / 2) return send.nextAttemptAt;
  const lease = new Date(ctx.now().getTime() + ctx.leaseMs);
  const renewed = await ctx.db
    .update(campaignSends)
    .set({ nextAttemptAt: lease })
    .where(and(eq(campaignSends.id, send.id), eq(campaignSends.status, "sending"), eq(campaignSends.nextAttemptAt, send.nextAttemptAt)))
    .returning({ id: campaignSends.id });
  return renewed.length > 0 ? lease : null;
}
