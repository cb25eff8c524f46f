import { defaultCampaign } from "@cartback/core/campaign/campaign";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, campaignDecisions, campaignEpisodes, campaignSends, campaigns, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { handleCartActivity } from "./activity.ts";
import { prng } from "./simulator/journeys.ts";

// The hook reads a batch's episodes once and applies its activities in memory: the same
// activities handed over one call each (a read and a write per activity) must leave the
// same episodes and move the same history. Random batches over four profiles and three
// campaigns (a cool-down, a short max age, an inactive one), seeded with live, waiting and
// ended episodes and sent emails (what a late change is compared with), merges included.
const T0 = Date.UTC(2026, 4, 4, 9, 0, 0);
const MIN = 60_000;
const PROFILES = ["p0", "p1", "p2", "p3"];
const VARIANTS = ["11", "22", "33"];
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const minutes = (rand: Rand, max: number) => new Date(T0 + Math.floor(rand() * max) * MIN);

/** What was stored before the batch: the same for both shops. */
function storedEpisodes(rand: Rand) {
  const rows: { campaign: number; profileId: string; status: string; startedAt: Date; lastChangeAt: Date; nextStep: number; dueAt: Date | null; closedAt: Date | null; closedReason: string | null }[] = [];
  for (const profileId of PROFILES) {
    for (const campaign of [0, 1, 2]) {
      if (rand() < 0.5) {
        const startedAt = minutes(rand, 60);
        const closedAt = new Date(startedAt.getTime() + Math.floor(rand() * 90) * MIN);
        rows.push({ campaign, profileId, status: "closed", startedAt, lastChangeAt: startedAt, nextStep: Math.floor(rand() * 3), dueAt: null, closedAt, closedReason: pick(rand, ["purchased", "completed", "cart_emptied"]) });
      }
      if (rand() < 0.5) {
        const startedAt = minutes(rand, 120);
        const status = rand() < 0.3 ? "waiting" : "open";
        const nextStep = Math.floor(rand() * 2);
        rows.push({ campaign, profileId, status, startedAt, lastChangeAt: startedAt, nextStep, dueAt: new Date(startedAt.getTime() + (nextStep + 1) * 20 * MIN), closedAt: null, closedReason: null });
      }
    }
  }
  return rows;
}

function randomCart(rand: Rand, count: number) {
  return VARIANTS.slice(0, count).map((variantId) => ({ variantId, quantity: 1 + Math.floor(rand() * 2) }));
}

/** Emails already sent, each with the cart it showed. */
function storedSends(rand: Rand) {
  return PROFILES.flatMap((profileId) =>
    [0, 1].filter(() => rand() < 0.5).map((campaign) => ({ campaign, profileId, createdAt: minutes(rand, 150), cart: randomCart(rand, 1 + Math.floor(rand() * 3)) })),
  );
}

function randomActivities(rand: Rand, shop: string): CartActivity[] {
  const count = 5 + Math.floor(rand() * 25);
  return Array.from({ length: count }, (_, i): CartActivity => {
    const profileId = pick(rand, PROFILES);
    // Mostly later than the stored episodes, sometimes out of order or past the max age. No
    // two at the same moment: a merge breaks a tie of start times by the (random) episode id.
    const at = new Date(minutes(rand, rand() < 0.1 ? 600 : 200).getTime() + (i + 1) * 1000);
    const kind = rand();
    if (kind < 0.55) {
      const lines = randomCart(rand, rand() < 0.15 ? 0 : 1 + Math.floor(rand() * 3));
      // Some learned long after they happened (a late webhook), after an email.
      const receivedAt = new Date(at.getTime() + (rand() < 0.3 ? Math.floor(rand() * 120) * MIN : 0));
      return { kind: "cart_changed", shop, profileId, at, receivedAt, added: rand() < 0.7, lineCount: lines.length, lines };
    }
    if (kind < 0.7) return { kind: "charged", shop, profileId, at, orderId: `o${Math.floor(rand() * 1e6)}` };
    if (kind < 0.85) return { kind: "identified", shop, profileId, at, identifier: "email" };
    const others = PROFILES.filter((p) => p !== profileId && rand() < 0.4);
    return { kind: "merged", shop, profileId, mergedIds: others.length > 0 ? others : [pick(rand, PROFILES.filter((p) => p !== profileId))], at };
  });
}

describeEachDatabase("campaign hook over a batch of activities", (database) => {
  async function seedShop(db: Db, seed: number) {
    const shop = randomShop("hook");
    await db.insert(shops).values({ shop, timezone: "UTC", currency: "USD" });
    const settings = [{ cooldownMs: 90 * MIN }, { maxAgeMs: 100 * MIN, emptyCart: "send_fallback" }, {}];
    await db.insert(campaigns).values(
      settings.map((s, i) => {
        const base = defaultCampaign(`${shop}-c${i}`, shop);
        const steps = [{ delayMs: 20 * MIN }, { delayMs: 40 * MIN }, { delayMs: 60 * MIN }];
        return { id: base.id, shop, name: base.name, active: i !== 2, steps, settings: { ...base.settings, ...s }, createdAt: new Date(T0 + i) };
      }),
    );
    const rand = prng(seed);
    const rows = storedEpisodes(rand);
    if (rows.length > 0) {
      await db.insert(campaignEpisodes).values(rows.map(({ campaign, ...r }, i) => ({ id: `${shop}-e${i}`, shop, campaignId: `${shop}-c${campaign}`, ...r })));
    }
    const decisions = PROFILES.map((profileId) => ({ shop, profileId, campaignId: `${shop}-c0`, episodeId: `${shop}-x`, step: 0, outcome: "sent", at: new Date(T0) }));
    await db.insert(campaignDecisions).values(decisions);
    const sends = storedSends(rand);
    if (sends.length > 0) {
      await db.insert(campaignSends).values(
        sends.map(({ campaign, profileId, createdAt, cart }, i) => ({
          id: `${shop}-s${i}`, shop, campaignId: `${shop}-c${campaign}`, episodeId: `${shop}-x${i}`, profileId, step: 0, idempotencyKey: `${shop}-s${i}`,
          status: "sent", toEmail: "jane@example.com", message: { cart }, dueAt: createdAt, createdAt,
        })),
      );
    }
    return { shop, activities: randomActivities(rand, shop) };
  }

  /** Episodes and decisions of a shop, without ids and the shop name. */
  async function outcome(db: Db, shop: string) {
    const episodes = await db.select().from(campaignEpisodes).where(eq(campaignEpisodes.shop, shop));
    const decisions = await db.select().from(campaignDecisions).where(eq(campaignDecisions.shop, shop));
    const ms = (d: Date | null) => (d ? d.getTime() - T0 : null);
    return {
      episodes: episodes
        .map((e) => [e.campaignId.slice(shop.length), e.profileId, e.status, ms(e.startedAt), ms(e.lastChangeAt), e.nextStep, ms(e.dueAt), ms(e.closedAt), e.closedReason].join(" "))
        .sort(),
      decisions: decisions.map((d) => d.profileId).sort(),
    };
  }

  it("leaves the same episodes and history as the same activities applied one call at a time", { timeout: 120_000 }, async () => {
    const db = database().db as Db;
    let merges = 0;
    let changed = 0;
    for (const seed of SEEDS) {
      const batched = await seedShop(db, seed);
      const single = await seedShop(db, seed);
      const before = await outcome(db, batched.shop);
      await db.transaction(async (tx) => handleCartActivity(tx as unknown as Db, batched.activities));
      for (const activity of single.activities) {
        await db.transaction(async (tx) => handleCartActivity(tx as unknown as Db, [activity]));
      }
      const after = await outcome(db, batched.shop);
      expect(after, `seed ${seed}`).toEqual(await outcome(db, single.shop));
      merges += batched.activities.filter((a) => a.kind === "merged").length;
      if (JSON.stringify(after) !== JSON.stringify(before)) changed++;
    }
    // The batches did something: merges among them, and episodes opened, moved or ended.
    expect(merges).toBeGreaterThan(5);
    expect(changed).toBe(SEEDS.length);
  });
});
