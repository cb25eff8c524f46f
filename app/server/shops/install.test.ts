import { campaigns } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { listCampaigns } from "../campaigns/repository.ts";
import { recordInstall } from "./install.ts";

describeEachDatabase("recording an install", (database) => {
  it("creates the default campaign on the first install only", async () => {
    const shop = randomShop("install");
    await recordInstall(database().db, shop);
    await recordInstall(database().db, shop);
    expect((await listCampaigns(database().db, shop)).map((c) => c.name)).toHaveLength(1);
  });

  it("brings no campaign back after the merchant deleted every one", async () => {
    const db = database().db;
    const shop = randomShop("install");
    await recordInstall(db, shop);
    const [only] = await listCampaigns(db, shop);
    await db.update(campaigns).set({ deletedAt: new Date() }).where(and(eq(campaigns.shop, shop), eq(campaigns.id, only!.id)));
    await recordInstall(db, shop);
    expect(await listCampaigns(db, shop)).toEqual([]);
  });
});
