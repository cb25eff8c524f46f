import { randomUUID } from "node:crypto";
import { Campaign, defaultCampaign } from "@cartback/core/campaign/campaign";
import { type Db, campaignEpisodes, campaignSends, campaigns } from "@cartback/db";
import { and, count, eq, gte, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { recordDecisions } from "./decisions.ts";
import { ensureDefaultCampaign, getCampaign, listCampaigns, nameTaken, nameTakenMessage } from "./repository.ts";

/**
 * A campaign's life as the merchant sees it: create, duplicate, pause/resume (updateCampaign's
 * `active`), delete. New and duplicated campaigns start paused: a second campaign that mails the
 * moment it is created, before its steps are looked at, would surprise. Deleting is a soft
 * delete (`deleted_at`): nothing runs it any more, its open episodes end with a reason, and its
 * row, episodes, sends and decisions stay for the Results page and the profile timelines.
 */
export type LifecycleResult =
  | { type: "ok"; campaign: Campaign }
  | { type: "not_found" }
  | { type: "invalid"; field: string; message: string };

export const CampaignName = z.string().trim().min(1, "Name is required").max(120, "Name is at most 120 characters");

/** The first visit of a shop seeds the default campaign; a shop whose campaigns were all deleted keeps none. */
export async function seedDefaultCampaign(db: Db, shop: string): Promise<void> {
  const [any] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.shop, shop)).limit(1);
  if (!any) await ensureDefaultCampaign(db, shop);
}

export async function createCampaign(db: Db, shop: string, name: unknown): Promise<LifecycleResult> {
  const parsed = CampaignName.safeParse(name);
  if (!parsed.success) return { type: "invalid", field: "name", message: parsed.error.issues[0]?.message ?? "invalid name" };
  if (await nameTaken(db, shop, parsed.data)) return { type: "invalid", field: "name", message: `Name: ${nameTakenMessage(parsed.data)}` };
  const id = randomUUID();
  const campaign = Campaign.parse({ ...defaultCampaign(id, shop), name: parsed.data, active: false });
  await insert(db, campaign);
  return { type: "ok", campaign };
}

/** Same steps, templates and settings, under the first free "<name> (copy)", "<name> (copy 2)", …, paused. */
export async function duplicateCampaign(db: Db, shop: string, id: string): Promise<LifecycleResult> {
  const source = await getCampaign(db, shop, id);
  if (!source) return { type: "not_found" };
  const taken = new Set((await listCampaigns(db, shop)).map((c) => c.name.trim().toLowerCase()));
  const name = copyName(source.name, (candidate) => taken.has(candidate.toLowerCase()));
  const campaign = Campaign.parse({ ...source, id: randomUUID(), name, active: false });
  await insert(db, campaign);
  return { type: "ok", campaign };
}

/**
 * Marks the campaign deleted and ends its open and waiting episodes (`campaign_deleted`, a
 * `closed` decision on each shopper's timeline), in one transaction: a worker holding one of
 * those episodes finishes first, and its next claim finds the campaign gone.
 */
export async function deleteCampaign(db: Db, shop: string, id: string, now: Date = new Date()): Promise<LifecycleResult> {
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const campaign = await getCampaign(tx, shop, id);
    if (!campaign) return { type: "not_found" } as const;
    await tx.update(campaigns).set({ deletedAt: now, active: false, updatedAt: now }).where(and(eq(campaigns.shop, shop), eq(campaigns.id, id), isNull(campaigns.deletedAt)));
    const ended = await tx
      .update(campaignEpisodes)
      .set({ status: "closed", closedReason: "campaign_deleted", closedAt: now, dueAt: null, updatedAt: now })
      .where(and(eq(campaignEpisodes.shop, shop), eq(campaignEpisodes.campaignId, id), ne(campaignEpisodes.status, "closed")))
      .returning({ id: campaignEpisodes.id, profileId: campaignEpisodes.profileId, step: campaignEpisodes.nextStep });
    await recordDecisions(
      tx,
      ended.map((e) => ({ shop, profileId: e.profileId, campaignId: id, episodeId: e.id, step: e.step, at: now, outcome: "closed" as const, reason: "campaign_deleted", detail: "the merchant deleted the campaign" })),
    );
    return { type: "ok", campaign: { ...campaign, active: false } } as const;
  });
}

export interface CampaignListItem {
  campaign: Campaign;
  /** Emails sent (delivered to the transport) in the last 30 days. */
  sent30d: number;
}

/** The Campaigns list: each live campaign and its emails of the last 30 days, in two statements. */
export async function campaignList(db: Db, shop: string, now: Date = new Date()): Promise<CampaignListItem[]> {
  const list = await listCampaigns(db, shop);
  if (list.length === 0) return [];
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const rows = await db
    .select({ campaignId: campaignSends.campaignId, n: count() })
    .from(campaignSends)
    .where(and(eq(campaignSends.shop, shop), eq(campaignSends.status, "sent"), gte(campaignSends.createdAt, since)))
    .groupBy(campaignSends.campaignId);
  const counts = new Map(rows.map((r) => [r.campaignId, Number(r.n)]));
  return list.map((campaign) => ({ campaign, sent30d: counts.get(campaign.id) ?? 0 }));
}

/** Duplicating "Winback (copy)" gives "Winback (copy 2)", not "Winback (copy) (copy)"; every name fits in 120 characters. */
export function copyName(name: string, taken: (candidate: string) => boolean): string {
  const base = name.trim().replace(/ \(copy(?: \d+)?\)$/, "");
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? " (copy)" : ` (copy ${n})`;
    const candidate = `${base.slice(0, 120 - suffix.length)}${suffix}`;
    if (!taken(candidate)) return candidate;
  }
}

async function insert(db: Db, c: Campaign) {
  await db.insert(campaigns).values({ id: c.id, shop: c.shop, name: c.name, active: c.active, steps: c.steps, settings: c.settings });
}
