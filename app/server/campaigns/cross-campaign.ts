import { createHash } from "node:crypto";
import { type Db, campaignSends, campaigns, shops } from "@cartback/db";
import { and, count, eq, gte, inArray, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { EpisodeRow } from "./episodes.ts";

/**
 * The cross-campaign cap, a shop setting (`shops.settings.crossCampaignCap`):
 *   one_per_cart (default)  a shopper gets email about one cart from one campaign only. The first
 *                           campaign to email the profile after an episode of another campaign
 *                           started (the cart addition that opened it) takes that cart; the other
 *                           campaign's episode ends with `cross_campaign_cap`. The taking
 *                           campaign's own later steps still go; the next cart addition opens new
 *                           episodes and the race starts again.
 *   off                     each campaign emails as if it were alone (frequency caps still count
 *                           every campaign's emails).
 * Enforced when a step is decided, from the sends table, under a transaction-scoped advisory lock
 * per (shop, profile): two workers deciding two campaigns' episodes of one shopper take turns, and
 * the second reads the first's committed send. Sends composed earlier in the same batch count too.
 */
export const CrossCampaignCap = z.enum(["one_per_cart", "off"]);
export type CrossCampaignCap = z.infer<typeof CrossCampaignCap>;

export async function getCrossCampaignCap(db: Db, shop: string): Promise<CrossCampaignCap> {
  const [row] = await db.select({ settings: shops.settings }).from(shops).where(eq(shops.shop, shop));
  return CrossCampaignCap.catch("one_per_cart").parse(row?.settings?.crossCampaignCap ?? "one_per_cart");
}

export async function setCrossCampaignCap(db: Db, shop: string, value: CrossCampaignCap): Promise<void> {
  await db
    .insert(shops)
    .values({ shop, settings: { crossCampaignCap: value } })
    .onConflictDoUpdate({ target: shops.shop, set: { settings: sql`${shops.settings} || jsonb_build_object('crossCampaignCap', ${value}::text)` } });
}

export interface CrossCampaign {
  /** Another campaign emailed this episode's profile since the episode started (stored, or composed in this batch). */
  emailedByOther(row: EpisodeRow): boolean;
  /** A send composed in this batch: the profile's later episodes in the batch see it. */
  sent(row: EpisodeRow, at: Date): void;
}

const SENT_STATUSES_EXCLUDED = ["failed", "cancelled", "test", "test_failed"];

/**
 * Locks the batch's profiles that the rule concerns (in one order for every worker: no
 * deadlock), then reads their sends since the earliest episode start: three statements at most,
 * none for shops that only ever had one campaign.
 */
export async function loadCrossCampaign(tx: Db, due: EpisodeRow[]): Promise<CrossCampaign> {
  const inBatch: { shop: string; profileId: string; campaignId: string; at: number }[] = [];
  const ruled = await ruledShops(tx, [...new Set(due.map((r) => r.shop))]);
  const rows = due.filter((r) => ruled.has(r.shop));
  const stored = rows.length === 0 ? [] : await lockAndRead(tx, rows);
  const all = () => [...stored, ...inBatch];
  return {
    emailedByOther: (row) =>
      ruled.has(row.shop) &&
      all().some((s) => s.shop === row.shop && s.profileId === row.profileId && s.campaignId !== row.campaignId && s.at >= row.startedAt.getTime()),
    sent: (row, at) => {
      if (ruled.has(row.shop)) inBatch.push({ shop: row.shop, profileId: row.profileId, campaignId: row.campaignId, at: at.getTime() });
    },
  };
}

/** Shops with the rule on that have (or had: a deleted campaign's email still took the cart) more than one campaign. */
async function ruledShops(tx: Db, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await tx
    .select({ shop: campaigns.shop, n: count() })
    .from(campaigns)
    .leftJoin(shops, eq(shops.shop, campaigns.shop))
    .where(and(inArray(campaigns.shop, names), sql`coalesce(${shops.settings} ->> 'crossCampaignCap', 'one_per_cart') <> 'off'`))
    .groupBy(campaigns.shop);
  return new Set(rows.filter((r) => Number(r.n) > 1).map((r) => r.shop));
}

/** A signed 64-bit key per (shop, profile) for pg_advisory_xact_lock. */
export function profileLockKey(shop: string, profileId: string): string {
  return createHash("sha256").update(`cartback-profile\n${shop}\n${profileId}`).digest().readBigInt64BE(0).toString();
}

async function lockAndRead(tx: Db, rows: EpisodeRow[]) {
  const keys = [...new Set(rows.map((r) => profileLockKey(r.shop, r.profileId)))].sort();
  // Volatile calls are made after the sort: every worker takes its locks in the same order.
  await tx.execute(sql`select pg_advisory_xact_lock(v.k)::text from (values ${sql.join(keys.map((k) => sql`(${k}::bigint)`), sql`, `)}) as v(k) order by v.k`);
  const since = new Date(Math.min(...rows.map((r) => r.startedAt.getTime())));
  const sends = await tx
    .select({ shop: campaignSends.shop, profileId: campaignSends.profileId, campaignId: campaignSends.campaignId, at: campaignSends.createdAt })
    .from(campaignSends)
    .where(and(
      inArray(campaignSends.shop, [...new Set(rows.map((r) => r.shop))]),
      inArray(campaignSends.profileId, [...new Set(rows.map((r) => r.profileId))]),
      gte(campaignSends.createdAt, since),
      notInArray(campaignSends.status, SENT_STATUSES_EXCLUDED),
    ));
  return sends.map((s) => ({ ...s, at: s.at.getTime() }));
}
