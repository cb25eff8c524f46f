import { createHash } from "node:crypto";
import { type Db, campaignSends, shops } from "@cartback/db";
import { and, eq, gte, inArray, notInArray, sql } from "drizzle-orm";
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
 * A campaign's frequency cap counts every campaign's emails, so its profiles take the same lock
 * (in the same statement and order: one lock order per worker, no deadlock), whatever this rule.
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
 * Locks the batch's profiles that the rule or a frequency cap (`capped`) concerns (in one order
 * for every worker: no deadlock) and reads the rule's sends since the earliest episode start: two
 * statements, none for shops that only ever had one campaign (`severalShops`, read with the
 * batch's campaigns) and no cap.
 */
export async function loadCrossCampaign(tx: Db, due: EpisodeRow[], severalShops: Set<string>, capped: (row: EpisodeRow) => boolean): Promise<CrossCampaign> {
  const inBatch: { shop: string; profileId: string; campaignId: string; at: number }[] = [];
  const candidates = due.filter((r) => severalShops.has(r.shop) || capped(r));
  const ruled = candidates.length === 0 ? new Set<string>() : await lockProfiles(tx, candidates, severalShops, capped);
  const rows = candidates.filter((r) => ruled.has(r.shop));
  const stored = rows.length === 0 ? [] : await sendsSince(tx, rows);
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

/**
 * One statement: the profiles of capped rows, and of rows in shops with several campaigns that
 * did not turn the rule off, are locked (volatile calls run after the sort, so in key order);
 * the shops whose rule applies are returned.
 */
async function lockProfiles(tx: Db, rows: EpisodeRow[], severalShops: Set<string>, capped: (row: EpisodeRow) => boolean): Promise<Set<string>> {
  const keys = new Map<string, { shop: string; several: boolean; capped: boolean }>();
  for (const r of rows) {
    const k = profileLockKey(r.shop, r.profileId);
    const seen = keys.get(k);
    keys.set(k, { shop: r.shop, several: severalShops.has(r.shop), capped: (seen?.capped ?? false) || capped(r) });
  }
  const values = [...keys].map(([k, v]) => sql`(${v.shop}::text, ${k}::bigint, ${v.several}::boolean, ${v.capped}::boolean)`);
  const result = await tx.execute(sql`
    select v.shop, v.several and coalesce(s.settings ->> 'crossCampaignCap', 'one_per_cart') <> 'off' as ruled,
           pg_advisory_xact_lock(v.k)::text as locked
    from (values ${sql.join(values, sql`, `)}) as v(shop, k, several, capped)
    left join shops s on s.shop = v.shop
    where v.capped or (v.several and coalesce(s.settings ->> 'crossCampaignCap', 'one_per_cart') <> 'off')
    order by v.k`);
  const locked = (result as { rows?: { shop: string; ruled: boolean }[] }).rows ?? (result as unknown as { shop: string; ruled: boolean }[]);
  return new Set(locked.filter((r) => r.ruled).map((r) => r.shop));
}

/** A signed 64-bit key per (shop, profile) for pg_advisory_xact_lock. */
export function profileLockKey(shop: string, profileId: string): string {
  return createHash("sha256").update(`cartback-profile\n${shop}\n${profileId}`).digest().readBigInt64BE(0).toString();
}

async function sendsSince(tx: Db, rows: EpisodeRow[]) {
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
