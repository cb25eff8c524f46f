import type { Campaign } from "@cartback/core/campaign/campaign";
import type { CatalogRow } from "@cartback/core/catalog/row";
import type { ProfileState } from "@cartback/core/profile/state";
import { type Db, campaignSends } from "@cartback/db";
import { and, gt, inArray, notInArray, sql } from "drizzle-orm";
import { AllowanceCache, type Breaker, loadBreaker } from "./breaker.ts";
import type { SchedulerContext } from "./context.ts";
import { type CrossCampaign, loadCrossCampaign } from "./cross-campaign.ts";
import { catalogKey, profileKey } from "./deps.ts";
import type { EpisodeRow } from "./episodes.ts";
import { campaignsOfBatch } from "./repository.ts";
import { type ShopContext, loadShopContexts } from "./shop-context.ts";
import { suppressedAmong } from "./suppressions.ts";

export function idempotencyKey(campaignId: string, episodeId: string, step: number): string {
  return `${campaignId}:${episodeId}:${step}`;
}

/**
 * Everything the rules and the composer need about a batch of claimed episodes, read with a
 * fixed number of statements however many episodes there are (each read takes the whole
 * batch: campaigns, shops, profiles, sends already made, suppressions, the new-recipient
 * breaker, recent sends for frequency caps, catalog rows of the carts).
 */
export interface DueBatch {
  campaign(row: EpisodeRow): Campaign | null;
  shop(row: EpisodeRow): ShopContext;
  profile(row: EpisodeRow): ProfileState | null;
  suppressed(row: EpisodeRow): boolean;
  stepAlreadySent(row: EpisodeRow): boolean;
  /** Emails to the episode's profile within `windowMs` before now, as stored when the batch was read. */
  recentSends(row: EpisodeRow, windowMs: number): number;
  /** When those emails were sent: a capped step is deferred to the first time the cap allows. */
  recentSendTimes(row: EpisodeRow, windowMs: number): Date[];
  /** The cross-campaign cap (one email per cart across campaigns), read under a per-profile lock. */
  crossCampaign: CrossCampaign;
  /** Live rows of the campaign's catalog for the profile's cart. */
  catalogRows(row: EpisodeRow): CatalogRow[];
  breaker: Breaker;
}

export async function loadDueBatch(tx: Db, ctx: SchedulerContext, due: EpisodeRow[], now: Date): Promise<DueBatch> {
  const { byKey: campaigns, severalShops } = await campaignsOfBatch(tx, due);
  const campaignOf = (row: EpisodeRow) => campaigns.get(`${row.shop}\n${row.campaignId}`) ?? null;
  // Before any read of sends: its per-profile locks (cross-campaign rule and frequency caps) make
  // them see another worker's committed sends.
  const crossCampaign = await loadCrossCampaign(tx, due, severalShops, (row) => (campaignOf(row)?.settings.frequencyCap ?? null) !== null);
  const shops = await loadShopContexts(tx, due.map((row) => row.shop));
  const live = due.filter((row) => campaignOf(row));
  const profiles = await ctx.deps.loadProfiles(tx, live);
  const profileOf = (row: EpisodeRow) => profiles.get(profileKey(row.shop, row.profileId)) ?? null;
  const existing = await existingKeys(tx, due.map((row) => idempotencyKey(row.campaignId, row.id, row.nextStep)));
  const suppressed = await suppressedAmong(tx, due.map((row) => ({ shop: row.shop, email: profileOf(row)?.email ?? null })));
  const breaker = await loadBreaker(tx, due, now, ctx.newRecipientsPerHour, allowancesOf(ctx));
  const capWindow = Math.max(0, ...live.map((row) => campaignOf(row)!.settings.frequencyCap?.windowMs ?? 0));
  const sentAt = capWindow > 0 ? await sendTimes(tx, live, new Date(now.getTime() - capWindow)) : new Map<string, number[]>();
  const catalogOf = (row: EpisodeRow) => catalogKey(row.shop, campaignOf(row)?.settings.catalogMapping.catalog ?? "");
  const withCart = live.filter((row) => (profileOf(row)?.cart.length ?? 0) > 0);
  const catalogRows = await ctx.deps.loadCatalogRows(
    tx,
    withCart.map((row) => ({ shop: row.shop, catalog: campaignOf(row)!.settings.catalogMapping.catalog, identities: profileOf(row)!.cart.map((l) => l.variantId) })),
  );
  return {
    campaign: campaignOf,
    shop: (row) => shops.get(row.shop)!,
    profile: profileOf,
    suppressed: (row) => {
      const email = profileOf(row)?.email;
      return email ? suppressed.has(`${row.shop}\n${email.trim().toLowerCase()}`) : false;
    },
    stepAlreadySent: (row) => existing.has(idempotencyKey(row.campaignId, row.id, row.nextStep)),
    recentSends: (row, windowMs) => (sentAt.get(profileKey(row.shop, row.profileId)) ?? []).filter((at) => at > now.getTime() - windowMs).length,
    recentSendTimes: (row, windowMs) => (sentAt.get(profileKey(row.shop, row.profileId)) ?? []).filter((at) => at > now.getTime() - windowMs).map((at) => new Date(at)),
    crossCampaign,
    catalogRows: (row) => {
      const cart = new Set(profileOf(row)?.cart.map((l) => l.variantId) ?? []);
      return (catalogRows.get(catalogOf(row)) ?? []).filter((r) => cart.has(r.Identity));
    },
    breaker,
  };
}

/** Each worker's breaker allowances (breaker.ts AllowanceCache), shared by its rounds. */
const allowances = new WeakMap<SchedulerContext, AllowanceCache>();

function allowancesOf(ctx: SchedulerContext): AllowanceCache {
  let cache = allowances.get(ctx);
  if (!cache) {
    cache = new AllowanceCache();
    allowances.set(ctx, cache);
  }
  return cache;
}

async function existingKeys(tx: Db, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  // One JSON parameter for the batch's keys (a bound parameter per key cost more to build than the lookup).
  const rows = await tx
    .select({ key: campaignSends.idempotencyKey })
    .from(campaignSends)
    .where(sql`${campaignSends.idempotencyKey} = any(array(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)))`);
  return new Set(rows.map((r) => r.key));
}

/**
 * When each of these profiles was emailed since `since`, any campaign: failed and cancelled
 * sends reached nobody, tests went to the merchant.
 */
async function sendTimes(tx: Db, rows: EpisodeRow[], since: Date): Promise<Map<string, number[]>> {
  const sends = await tx
    .select({ shop: campaignSends.shop, profileId: campaignSends.profileId, at: campaignSends.createdAt })
    .from(campaignSends)
    .where(and(
      inArray(campaignSends.shop, [...new Set(rows.map((r) => r.shop))]),
      inArray(campaignSends.profileId, [...new Set(rows.map((r) => r.profileId))]),
      gt(campaignSends.createdAt, since),
      notInArray(campaignSends.status, ["failed", "cancelled", "test", "test_failed"]),
    ));
  const byProfile = new Map<string, number[]>();
  for (const send of sends) {
    const key = profileKey(send.shop, send.profileId);
    byProfile.set(key, [...(byProfile.get(key) ?? []), send.at.getTime()]);
  }
  return byProfile;
}
