import { randomUUID } from "node:crypto";
import type { Campaign } from "@cartback/core/campaign/campaign";
import { type EpisodeState, advance } from "@cartback/core/campaign/episode";
import { shownLines } from "@cartback/core/campaign/last-email";
import { type Decision, decide, parkedUntil } from "@cartback/core/campaign/rules";
import type { ProfileState } from "@cartback/core/profile/state";
import { type Db, campaignDecisions, campaignEpisodes, campaignSends, suppressions } from "@cartback/db";
import { and, asc, count, eq, gt, inArray, lte, ne, notInArray } from "drizzle-orm";
import { type Breaker, HELD_REASON, HOLD_MS, loadBreaker } from "./breaker.ts";
import { composeMessage, NO_SENDER_RETRY_MS } from "./compose.ts";
import type { SchedulerContext } from "./context.ts";
import { recordDecision } from "./decisions.ts";
import { type EpisodeRow, episodeState, writeEpisode, writeEpisodes } from "./episodes.ts";
import { getCampaign } from "./repository.ts";
import { type ShopContext, loadShopContext } from "./shop-context.ts";
import { uninstalledAmong } from "./uninstalled.ts";

export type SendRow = typeof campaignSends.$inferSelect;

export function idempotencyKey(campaignId: string, episodeId: string, step: number): string {
  return `${campaignId}:${episodeId}:${step}`;
}

/**
 * Claims up to `limit` due episodes (FOR UPDATE SKIP LOCKED: several workers split the work),
 * decides each from live state, and in the same short transaction records the decision,
 * moves the episode on and, for a send, inserts the outbox row under its idempotency key,
 * leased to this worker. The caller delivers the returned rows after the commit.
 */
export async function decideDue(ctx: SchedulerContext, limit: number): Promise<{ decided: number; sends: SendRow[] }> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const due = await tx
      .select()
      .from(campaignEpisodes)
      .where(and(ne(campaignEpisodes.status, "closed"), lte(campaignEpisodes.dueAt, now), ctx.onlyShops ? inArray(campaignEpisodes.shop, ctx.onlyShops) : undefined))
      .orderBy(asc(campaignEpisodes.dueAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    const campaigns = new Map<string, Campaign | null>();
    const shops = new Map<string, ShopContext>();
    const db = tx as unknown as Db;
    const profiles: (ProfileState | null)[] = [];
    for (const row of due) {
      const key = `${row.shop}/${row.campaignId}`;
      if (!campaigns.has(key)) campaigns.set(key, await getCampaign(db, row.shop, row.campaignId));
      if (!shops.has(row.shop)) shops.set(row.shop, await loadShopContext(db, row.shop));
      profiles.push(campaigns.get(key) ? await ctx.deps.loadProfile(db, row.shop, row.profileId) : null);
    }
    // One query each for the whole batch, not one per episode.
    const existing = await existingKeys(db, due.map((row) => idempotencyKey(row.campaignId, row.id, row.nextStep)));
    const suppressed = await suppressedAmong(db, due.map((row, i) => ({ shop: row.shop, email: profiles[i]?.email ?? null })));
    const breaker = await loadBreaker(db, due, now, ctx.newRecipientsPerHour);
    const uninstalled = await uninstalledAmong(db, due.map((row) => row.shop));
    // Sends are collected and written set-based after the loop: two statements per batch
    // instead of two per send. Same transaction, so the outcome is the same.
    const pending: PendingSends = { episodes: [], sends: [] };
    for (const [i, row] of due.entries()) {
      const profile = profiles[i] ?? null;
      const lookups: Lookups = {
        profile,
        suppressed: profile?.email ? suppressed.has(`${row.shop}\n${profile.email.trim().toLowerCase()}`) : false,
        stepAlreadySent: existing.has(idempotencyKey(row.campaignId, row.id, row.nextStep)),
        breaker,
        shopUninstalled: uninstalled.has(row.shop),
      };
      await decideOne(ctx, db, row, campaigns.get(`${row.shop}/${row.campaignId}`) ?? null, shops.get(row.shop)!, lookups, now, pending);
    }
    await writeEpisodes(db, pending.episodes, now);
    const sends = pending.sends.length === 0 ? [] : await db.insert(campaignSends).values(pending.sends).onConflictDoNothing().returning();
    return { decided: due.length, sends };
  });
}

type NewSend = typeof campaignSends.$inferInsert;
interface PendingSends {
  episodes: { id: string; state: EpisodeState }[];
  sends: NewSend[];
}

interface Lookups {
  profile: ProfileState | null;
  suppressed: boolean;
  stepAlreadySent: boolean;
  breaker: Breaker;
  shopUninstalled: boolean;
}

async function decideOne(ctx: SchedulerContext, tx: Db, row: EpisodeRow, campaign: Campaign | null, shop: ShopContext, lookups: Lookups, now: Date, pending: PendingSends) {
  const base = { shop: row.shop, profileId: row.profileId, campaignId: row.campaignId, episodeId: row.id, step: row.nextStep, at: now };
  const state = episodeState(row);
  if (!campaign) {
    await recordDecision(tx, { ...base, outcome: "skipped", reason: "campaign_inactive", detail: "campaign deleted" });
    await writeEpisode(tx, row.id, { ...state, status: "closed", dueAt: null, closedReason: "campaign_inactive" }, now);
    return null;
  }
  const { profile } = lookups;
  const cap = campaign.settings.frequencyCap;
  const decision: Decision = decide({
    now,
    campaign,
    // The id places the episode in or out of the campaign's holdout (core holdout.ts).
    episode: { ...state, id: row.id },
    profile,
    shopTimezone: shop.timezone,
    suppressed: lookups.suppressed,
    // Sends decided earlier in this batch are not inserted yet: they count too.
    recentSends: cap
      ? (await recentSends(tx, row.shop, row.profileId, new Date(now.getTime() - cap.windowMs))) +
        pending.sends.filter((p) => p.shop === row.shop && p.profileId === row.profileId).length
      : 0,
    stepAlreadySent: lookups.stepAlreadySent,
    shopUninstalled: lookups.shopUninstalled,
    newRecipientHeld: false,
  });
  switch (decision.type) {
    case "skip":
      await recordDecision(tx, { ...base, outcome: "skipped", reason: decision.reason });
      await writeEpisode(tx, row.id, decision.close ? { ...state, status: "closed", dueAt: null, closedReason: decision.close } : advance(campaign, state, now), now);
      return null;
    case "wait":
      await recordDecision(tx, { ...base, outcome: "waiting", reason: decision.reason });
      // Parked until identification re-arms it (core's parkedUntil).
      await writeEpisode(tx, row.id, { ...state, status: "waiting", dueAt: parkedUntil(campaign, state) }, now);
      return null;
    case "defer":
      await recordDecision(tx, { ...base, outcome: "deferred", reason: decision.reason, until: decision.until });
      await writeEpisode(tx, row.id, { ...state, dueAt: decision.until }, now);
      return null;
    case "send": {
      if (!lookups.breaker.admit(row.shop, row.profileId)) {
        const until = new Date(now.getTime() + HOLD_MS);
        await recordDecision(tx, { ...base, outcome: "deferred", reason: HELD_REASON, detail: "more new recipients this hour than this shop normally emails", until });
        await writeEpisode(tx, row.id, { ...state, dueAt: until }, now);
        return null;
      }
      const sendId = randomUUID();
      const catalogRows = await ctx.deps.loadCatalogRows(tx, row.shop, campaign.settings.catalogMapping.catalog, profile!.cart.map((l) => l.variantId));
      const composed = composeMessage({ appUrl: ctx.appUrl, appSecret: ctx.appSecret, mailFrom: ctx.mailFrom, renderBudgetMs: ctx.renderBudgetMs, shop, campaign, step: decision.step, profile: profile!, email: decision.email, sendId, catalogRows });
      if (composed.type === "no_sender") {
        // Nobody to send from yet: the step waits for a sender instead of being lost.
        const until = new Date(now.getTime() + NO_SENDER_RETRY_MS);
        await recordDecision(tx, { ...base, outcome: "deferred", reason: "no_sender", detail: composed.message, until });
        await writeEpisode(tx, row.id, { ...state, dueAt: until }, now);
        return null;
      }
      if (composed.type === "error" && composed.retryable) {
        const slow = await countDecisions(tx, row.shop, row.id, RENDER_SLOW);
        if (slow < RENDER_SLOW_TRIES) {
          // Out of its render budget: not the template's fault once it passed its save check.
          const until = new Date(now.getTime() + RENDER_SLOW_RETRY_MS * 2 ** slow);
          await recordDecision(tx, { ...base, outcome: "deferred", reason: RENDER_SLOW, detail: composed.message, until });
          await writeEpisode(tx, row.id, { ...state, dueAt: until }, now);
          return null;
        }
      }
      if (composed.type === "error") {
        await writeEpisode(tx, row.id, advance(campaign, state, now), now);
        await recordDecision(tx, { ...base, outcome: "failed", reason: "render_failed", detail: composed.message });
        return null;
      }
      pending.episodes.push({ id: row.id, state: advance(campaign, state, now) });
      pending.sends.push({
        id: sendId, shop: row.shop, campaignId: campaign.id, episodeId: row.id, profileId: row.profileId, step: decision.step,
        idempotencyKey: idempotencyKey(campaign.id, row.id, decision.step), status: "sending", toEmail: decision.email,
        // The cart it shows rides along: a late change it already showed opens no episode (last-email.ts).
        message: { ...composed.message, cart: shownLines(profile!.cart) } as unknown as Record<string, unknown>, dueAt: row.dueAt ?? now, createdAt: now,
        nextAttemptAt: new Date(now.getTime() + ctx.leaseMs),
      });
      return null;
    }
    default: {
      const unreachable: never = decision;
      throw new Error(`unknown decision ${JSON.stringify(unreachable)}`);
    }
  }
}

const RENDER_SLOW = "render_slow";
const RENDER_SLOW_TRIES = 5;
const RENDER_SLOW_RETRY_MS = 60_000;

async function countDecisions(tx: Db, shop: string, episodeId: string, reason: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(campaignDecisions)
    .where(and(eq(campaignDecisions.shop, shop), eq(campaignDecisions.episodeId, episodeId), eq(campaignDecisions.reason, reason)));
  return Number(row?.n ?? 0);
}

async function existingKeys(tx: Db, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await tx.select({ key: campaignSends.idempotencyKey }).from(campaignSends).where(inArray(campaignSends.idempotencyKey, keys));
  return new Set(rows.map((r) => r.key));
}

/** "shop\nemail" of the addresses among these that their shop suppresses. */
async function suppressedAmong(tx: Db, wanted: { shop: string; email: string | null }[]): Promise<Set<string>> {
  const pairs = wanted.filter((w): w is { shop: string; email: string } => w.email !== null);
  if (pairs.length === 0) return new Set();
  const emails = [...new Set(pairs.map((p) => p.email.trim().toLowerCase()))];
  const shopsWanted = [...new Set(pairs.map((p) => p.shop))];
  const rows = await tx
    .select({ shop: suppressions.shop, email: suppressions.email })
    .from(suppressions)
    .where(and(inArray(suppressions.shop, shopsWanted), inArray(suppressions.email, emails)));
  return new Set(rows.map((r) => `${r.shop}\n${r.email}`));
}

/** Emails to this profile since `since`, any campaign; failed and cancelled ones did not reach anyone, tests went to the merchant. */
async function recentSends(tx: Db, shop: string, profileId: string, since: Date): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(campaignSends)
    .where(and(eq(campaignSends.shop, shop), eq(campaignSends.profileId, profileId), gt(campaignSends.createdAt, since), notInArray(campaignSends.status, ["failed", "cancelled", "test", "test_failed"])));
  return row?.n ?? 0;
}
