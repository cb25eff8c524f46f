import { MAX_SEND_ATTEMPTS, retryDelayMs } from "@cartback/core/campaign/retry";
import { type Db, campaignSends } from "@cartback/db";
import { and, asc, eq, inArray, lte } from "drizzle-orm";
import type { OutgoingMessage } from "../mail/message.ts";
import type { MailTransport } from "../mail/transport.ts";
import type { SchedulerContext } from "./context.ts";
import type { SendRow } from "./decide-due.ts";
import { recordDecision } from "./decisions.ts";
import { suppress } from "./suppressions.ts";

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
      .where(and(inArray(campaignSends.status, ["sending", "retry"]), lte(campaignSends.nextAttemptAt, now)))
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
 * Hands one leased send to the transport and records the outcome. The row said "sending"
 * before the transport was called; the only window for a duplicate is a crash between the
 * relay's 250 and the commit below, which then re-sends under the same Message-ID.
 */
export async function deliver(ctx: SchedulerContext, transport: MailTransport, send: SendRow): Promise<void> {
  const result = await transport.send(send.message as unknown as OutgoingMessage);
  const now = ctx.now();
  const attempts = send.attempts + 1;
  const base = { shop: send.shop, profileId: send.profileId, campaignId: send.campaignId, episodeId: send.episodeId, step: send.step, at: now };
  const mine = and(eq(campaignSends.id, send.id), eq(campaignSends.status, "sending"));
  await ctx.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    if (result.type === "sent") {
      await tx.update(campaignSends).set({ status: "sent", sentAt: now, attempts, raw: result.raw, transport: transport.kind, lastError: null }).where(mine);
      await recordDecision(tx, { ...base, outcome: "sent", detail: (send.message as { messageId?: string }).messageId ?? null });
      return;
    }
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
