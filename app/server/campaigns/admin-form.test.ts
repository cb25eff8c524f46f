import { catalogs, type Db } from "@cartback/db";
import { and, eq } from "drizzle-orm";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { importCatalogCsv } from "../catalog/csv-import.ts";
import { createTestRuntime } from "../testing.ts";
import { saveCampaignSettings } from "./admin-form.ts";
import { ensureDefaultCampaign, getCampaign } from "./repository.ts";

describeEachDatabase("the Campaigns settings form", (database) => {
  async function shopWithCampaign() {
    const shop = randomShop("form");
    const runtime = createTestRuntime(database());
    const campaign = await ensureDefaultCampaign(database().db as Db, shop);
    // The settings form as the page posts it: every field, with the saved values unless changed.
    const save = (changes: Record<string, string>) => {
      const form = new FormData();
      const fields = {
        intent: "settings", id: campaign.id, active: "on", steps: "15m", cap: "", quiet: "", "max-age": "7d", cooldown: "1h", holdout: "0",
        "empty-cart": "skip", consent: "marketing_or_checkout", property: "shopify_cart_ids", catalog: "shopify-catalog", alias: "Samplecatalog1",
        ...changes,
      };
      for (const [name, value] of Object.entries(fields)) form.set(name, value);
      return saveCampaignSettings(runtime, shop, form);
    };
    const stored = async () => (await getCampaign(database().db as Db, shop, campaign.id))!;
    return { shop, campaign, save, stored };
  }

  it("refuses a catalog the shop does not have, naming the Catalog field and the catalogs there are, and saves nothing else", async () => {
    const { shop, save, stored } = await shopWithCampaign();
    const before = await stored();
    expect(await save({ catalog: "no-such-catalog", steps: "20m,1d", holdout: "10" })).toEqual({
      type: "invalid",
      field: "catalog",
      message: 'Catalog: no catalog is named "no-such-catalog"; this shop\'s catalogs: shopify-catalog',
    });
    expect(await stored()).toEqual(before);

    expect(await importCatalogCsv(database(), shop, "gifts", "Identity,Name,ImageURL,Price\n1,Gift Mug,,12.50\n")).toMatchObject({ type: "imported" });
    expect(await save({ catalog: "no-such-catalog" })).toMatchObject({ field: "catalog", message: expect.stringMatching(/catalogs: shopify-catalog, gifts$/) });
  });

  it("takes a CSV catalog of this shop, and Catalog Sync's catalog before any sync", async () => {
    const { shop, save, stored } = await shopWithCampaign();
    expect(await importCatalogCsv(database(), shop, "gifts", "Identity,Name,ImageURL,Price\n1,Gift Mug,,12.50\n")).toMatchObject({ type: "imported" });
    expect(await save({ catalog: "gifts", steps: "20m" })).toMatchObject({ type: "saved" });
    expect((await stored()).settings.catalogMapping.catalog).toBe("gifts");
    expect((await stored()).steps.map((s) => s.delayMs)).toEqual([1_200_000]);
    expect(await save({ catalog: "shopify-catalog" })).toMatchObject({ type: "saved" });
    expect((await stored()).settings.catalogMapping.catalog).toBe("shopify-catalog");
  });

  it("refuses an emptied Steps or Profile property by its label, and keeps nothing of that save", async () => {
    const { save, stored } = await shopWithCampaign();
    const before = await stored();
    expect(await save({ steps: "", holdout: "10" })).toEqual({ type: "invalid", field: "steps", message: "Steps can't be empty" });
    expect(await save({ property: " ", steps: "20m" })).toEqual({ type: "invalid", field: "property", message: "Profile property can't be empty" });
    expect(await stored()).toEqual(before);
  });

  it("names Holdout in its errors like every other field", async () => {
    const { save, stored } = await shopWithCampaign();
    const before = await stored();
    for (const holdout of ["150", "-1", "ten"]) {
      expect(await save({ holdout }), holdout).toEqual({ type: "invalid", field: "holdout", message: "Holdout must be a whole percent from 0 to 50, like 10" });
    }
    expect(await save({ holdout: "" })).toEqual({ type: "invalid", field: "holdout", message: "Holdout can't be empty" });
    expect(await stored()).toEqual(before);
  });

  it("still saves a campaign whose catalog was deleted since, as long as the Catalog field is not changed", async () => {
    const { shop, save, stored } = await shopWithCampaign();
    expect(await importCatalogCsv(database(), shop, "gifts", "Identity,Name,ImageURL,Price\n1,Gift Mug,,12.50\n")).toMatchObject({ type: "imported" });
    expect(await save({ catalog: "gifts" })).toMatchObject({ type: "saved" });
    await database().db.delete(catalogs).where(and(eq(catalogs.shop, shop), eq(catalogs.name, "gifts")));
    expect(await save({ catalog: "gifts", steps: "30m", active: "off" })).toMatchObject({ type: "saved" });
    expect(await stored()).toMatchObject({ active: false, steps: [{ delayMs: 1_800_000 }] });
  });

  it("does not take another shop's catalog", async () => {
    const { save, stored } = await shopWithCampaign();
    const other = randomShop("other");
    expect(await importCatalogCsv(database(), other, "theirs", "Identity,Name,ImageURL,Price\n1,Mug,,1\n")).toMatchObject({ type: "imported" });
    expect(await save({ catalog: "theirs" })).toMatchObject({ type: "invalid", field: "catalog" });
    expect((await stored()).settings.catalogMapping.catalog).toBe("shopify-catalog");
  });
});
