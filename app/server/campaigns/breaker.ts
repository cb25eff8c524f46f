import { HELD_REASON, HOLD_MS } from "@cartback/core/campaign/rules";
import { type Db, campaignDecisions, campaignSends } from "@cartback/db";
import { and, count, eq, gt, inArray, lte, ne, sql } from "drizzle-orm";

/**
 * A per-shop circuit breaker on first-time recipients. Whatever gets past the trust rules
 * (a leaked API key, a bug), a shop that suddenly emails many more new people per hour than
 * it normally does is holding a spam relay, not recovering carts: new recipients past the
 * allowance are held (deferred, a `held_new_recipients` decision) and the Dashboard says so.
 * Shoppers already emailed before are never held.
 *
 * Allowance per hour: the larger of a floor (CARTBACK_NEW_RECIPIENTS_PER_HOUR, default 1,000)
 * and 5 × the shop's average hourly sends over the past week.
 */
export const DEFAULT_NEW_RECIPIENTS_PER_HOUR = 1000;
export const BREAKER_RATE_MULTIPLIER = 5;
/** How long a hold lasts and what it is recorded as: core's rule (rules.ts). */
export { HELD_REASON, HOLD_MS };
const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
const TEST_EPISODE = "test";

export interface Breaker {
  /** This profile was never emailed by the shop and the shop's allowance for the hour is used up. */
  holds(shop: string, profileId: string): boolean;
  /** A send to this profile was decided: a new recipient counts against the allowance. */
  count(shop: string, profileId: string): void;
}

/**
 * How long a worker uses its read of a shop's allowance (AllowanceCache). Counting the hour's
 * new recipients reads every send of that hour (150 ms per batch at 125,000), so a busy worker
 * reads it once per this interval and counts its own new recipients in memory in between; what
 * other workers sent in that interval is seen at the next read. The allowance is hourly and
 * at least DEFAULT_NEW_RECIPIENTS_PER_HOUR: a second's lag does not turn a relay loose.
 */
export const ALLOWANCE_TTL_MS = 1_000;
/**
 * While more than half of a shop's allowance is left, a read that took d ms is kept for up to
 * READ_SHARE_INVERSE × d (at most SLOW_READ_TTL_MS): the count then takes at most about a tenth
 * of one database connection. At 125,000 sends in the hour it takes 150–370 ms, and read every
 * second it kept 0.4 of a core of PostgreSQL busy at the bench's capacity (scheduler-quick's
 * pg_stat_activity sampling). Nearer the allowance, ALLOWANCE_TTL_MS again: other workers'
 * new recipients are seen within a second when they could use it up.
 */
export const READ_SHARE_INVERSE = 10;
export const SLOW_READ_TTL_MS = 10_000;

interface Allowance {
  readAt: number;
  left: number;
  allowance: number;
  /** How long the read took (wall clock). */
  readMs: number;
}

/** One worker's allowances left per shop, shared by its rounds (its own decisions counted at once). */
export class AllowanceCache {
  readonly byShop = new Map<string, Allowance>();
}

/** How long a read of a shop's allowance is used before it is read again. */
export function allowanceKeptMs(entry: Allowance): number {
  if (entry.left <= entry.allowance / 2) return ALLOWANCE_TTL_MS;
  return Math.min(SLOW_READ_TTL_MS, Math.max(ALLOWANCE_TTL_MS, READ_SHARE_INVERSE * entry.readMs));
}

/**
 * Reads the batch's shops' allowances and which of its profiles were emailed before: three
 * statements per batch, one when `cache` holds every shop's allowance read less than
 * ALLOWANCE_TTL_MS ago.
 */
export async function loadBreaker(
  db: Db, wanted: { shop: string; profileId: string }[], now: Date, floor = DEFAULT_NEW_RECIPIENTS_PER_HOUR, cache = new AllowanceCache(),
): Promise<Breaker> {
  const shops = [...new Set(wanted.map((w) => w.shop))];
  const known = new Set<string>();
  if (shops.length > 0) {
    const hourAgo = new Date(now.getTime() - HOUR_MS);
    const stale = shops.filter((shop) => {
      const entry = cache.byShop.get(shop);
      return !entry || now.getTime() < entry.readAt || now.getTime() - entry.readAt >= allowanceKeptMs(entry);
    });
    // One after the other: inside the scheduler's transaction they share one connection, and
    // node-postgres deprecates queuing a query on a client that is busy.
    if (stale.length > 0) {
      const started = performance.now();
      const fresh = await newRecipientsSince(db, stale, hourAgo);
      const week = await sendsBetween(db, stale, new Date(now.getTime() - WEEK_MS), hourAgo);
      const readMs = performance.now() - started;
      for (const shop of stale) {
        const normal = Math.ceil((BREAKER_RATE_MULTIPLIER * (week.get(shop) ?? 0)) / (WEEK_MS / HOUR_MS - 1));
        const allowance = Math.max(floor, normal);
        cache.byShop.set(shop, { readAt: now.getTime(), left: allowance - (fresh.get(shop) ?? 0), allowance, readMs });
      }
    }
    const emailed = await db
      .selectDistinct({ shop: campaignSends.shop, profileId: campaignSends.profileId })
      .from(campaignSends)
      .where(and(inArray(campaignSends.shop, shops), inArray(campaignSends.profileId, [...new Set(wanted.map((w) => w.profileId))]), ne(campaignSends.episodeId, TEST_EPISODE)));
    for (const row of emailed) known.add(`${row.shop}\n${row.profileId}`);
  }
  // The cache's entries themselves: a worker's rounds deciding side by side count against one allowance.
  const left = (shop: string) => cache.byShop.get(shop) ?? { readAt: now.getTime(), left: 0, allowance: 0, readMs: 0 };
  return {
    holds(shop, profileId) {
      return !known.has(`${shop}\n${profileId}`) && left(shop).left <= 0;
    },
    count(shop, profileId) {
      const key = `${shop}\n${profileId}`;
      if (known.has(key)) return;
      left(shop).left--;
      known.add(key);
    },
  };
}

/** Profiles first emailed (by any campaign) since `since`, per shop. */
async function newRecipientsSince(db: Db, shops: string[], since: Date): Promise<Map<string, number>> {
  const rows = await db
    .select({ shop: campaignSends.shop, n: sql<number>`count(distinct ${campaignSends.profileId})::int` })
    .from(campaignSends)
    .where(and(
      inArray(campaignSends.shop, shops),
      gt(campaignSends.createdAt, since),
      ne(campaignSends.episodeId, TEST_EPISODE),
      sql`not exists (select 1 from campaign_sends p where p.shop = ${campaignSends.shop} and p.profile_id = ${campaignSends.profileId} and p.created_at <= ${since} and p.episode_id <> ${TEST_EPISODE})`,
    ))
    .groupBy(campaignSends.shop);
  return new Map(rows.map((r) => [r.shop, Number(r.n)]));
}

async function sendsBetween(db: Db, shops: string[], from: Date, to: Date): Promise<Map<string, number>> {
  const rows = await db
    .select({ shop: campaignSends.shop, n: count() })
    .from(campaignSends)
    .where(and(inArray(campaignSends.shop, shops), gt(campaignSends.createdAt, from), lte(campaignSends.createdAt, to), ne(campaignSends.episodeId, TEST_EPISODE)))
    .groupBy(campaignSends.shop);
  return new Map(rows.map((r) => [r.shop, Number(r.n)]));
}

/** For the Dashboard: how many new recipients the breaker held in the last hour. */
export async function heldRecently(db: Db, shop: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(distinct ${campaignDecisions.profileId})::int` })
    .from(campaignDecisions)
    .where(and(eq(campaignDecisions.shop, shop), eq(campaignDecisions.reason, HELD_REASON), gt(campaignDecisions.at, new Date(now.getTime() - HOUR_MS))));
  return Number(row?.n ?? 0);
}
