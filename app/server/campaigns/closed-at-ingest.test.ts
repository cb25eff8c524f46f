import { randomUUID } from "node:crypto";
import type { CartActivity } from "@cartback/core/profile/activity";
import { campaignDecisions, campaignEpisodes, type Db } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { asc, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { handleCartActivity } from "./activity.ts";
import { ensureDefaultCampaign } from "./repository.ts";

// "Why didn't this shopper get an email?" has an answer when ingest ended the episode too.
const T0 = new Date("2026-03-02T12:00:00Z");
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describeEachDatabase("episodes ended at ingest are recorded as decisions", (database) => {
  async function setup() {
    const shop = randomShop("closed");
    const db = database().db as Db;
    await ensureDefaultCampaign(db, shop);
    const apply = (...activities: DistributiveOmit<CartActivity, "shop">[]) =>
      db.transaction((tx) => handleCartActivity(tx as unknown as Db, activities.map((a) => ({ shop, ...a }) as CartActivity)));
    const decisions = () => db.select().from(campaignDecisions).where(eq(campaignDecisions.shop, shop)).orderBy(asc(campaignDecisions.id));
    const episodes = () => db.select().from(campaignEpisodes).where(eq(campaignEpisodes.shop, shop)).orderBy(asc(campaignEpisodes.startedAt));
    return { apply, decisions, episodes };
  }
  const added = (profileId: string, minutes: number) => ({ kind: "cart_changed" as const, profileId, at: at(minutes), added: true, lineCount: 1 });

  it("records the purchase that came before the email was due", async () => {
    const s = await setup();
    const p = randomUUID();
    await s.apply(added(p, 0));
    await s.apply({ kind: "charged", profileId: p, at: at(5), orderId: "1001" });
    const [episode] = await s.episodes();
    expect(await s.decisions()).toMatchObject([
      { outcome: "closed", reason: "purchased", profileId: p, episodeId: episode!.id, step: 0, at: at(5), detail: expect.stringContaining("order came before") },
    ]);
  });

  it("records the cart emptied before the email was due", async () => {
    const s = await setup();
    const p = randomUUID();
    await s.apply(added(p, 0));
    await s.apply({ kind: "cart_changed", profileId: p, at: at(3), added: false, lineCount: 0 });
    expect((await s.decisions()).map((d) => [d.outcome, d.reason, d.at])).toEqual([["closed", "cart_emptied", at(3)]]);
  });

  it("records the merged episode under the survivor, and nothing for the one that goes on", async () => {
    const s = await setup();
    const [phone, laptop] = [randomUUID(), randomUUID()];
    await s.apply(added(phone, 0), added(laptop, 2));
    await s.apply({ kind: "merged", profileId: phone, mergedIds: [laptop], at: at(4) });
    const [kept, ended] = await s.episodes();
    expect(kept).toMatchObject({ profileId: phone, status: "open" });
    expect(ended).toMatchObject({ profileId: phone, status: "closed", closedReason: "merged" });
    expect(await s.decisions()).toMatchObject([{ outcome: "closed", reason: "merged", profileId: phone, episodeId: ended!.id, at: at(4) }]);
  });

  it("records nothing while episodes only open and debounce", async () => {
    const s = await setup();
    const p = randomUUID();
    await s.apply(added(p, 0), added(p, 1));
    expect(await s.decisions()).toEqual([]);
  });
});
