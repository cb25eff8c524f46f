import { startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { installShop } from "../ingest/testing.ts";
import { createTestRuntime, fakeAdminEnv } from "../testing.ts";
import { activateWebPixel } from "./activate.ts";

describeEachDatabase("web pixel activation", (database) => {
  it("creates the pixel with the collector URL and pixel key, then updates it on the next activation", async () => {
    const shop = randomShop("pixel");
    const fake = await startFakeShopifyAdmin({ shop });
    try {
      const runtime = createTestRuntime(database(), fakeAdminEnv(shop, fake, { SHOPIFY_APP_URL: "https://cartback.example.com" }));
      const { pixelKey } = await installShop(database(), shop);
      const first = await activateWebPixel(runtime, shop);
      expect(first.type).toBe("created");
      expect(JSON.parse(fake.state.webPixels[0]!.settings)).toEqual({ collectorUrl: "https://cartback.example.com/collect", pixelKey });

      const moved = { ...runtime, config: { ...runtime.config, appUrl: "https://new.example.com" } };
      const second = await activateWebPixel(moved, shop);
      expect(second).toEqual({ type: "updated", id: fake.state.webPixels[0]!.id });
      expect(fake.state.webPixels).toHaveLength(1);
      expect(JSON.parse(fake.state.webPixels[0]!.settings).collectorUrl).toBe("https://new.example.com/collect");
    } finally {
      await fake.close();
    }
  });

  it("reports a refused token as a failure instead of throwing", async () => {
    const shop = randomShop("pixel");
    const fake = await startFakeShopifyAdmin({ shop });
    try {
      const runtime = createTestRuntime(database(), fakeAdminEnv(shop, fake, { SHOPIFY_ADMIN_TOKEN: "shpat_wrong" }));
      await installShop(database(), shop);
      const result = await activateWebPixel(runtime, shop);
      expect(result.type).toBe("failed");
      expect(fake.state.webPixels).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });
});
