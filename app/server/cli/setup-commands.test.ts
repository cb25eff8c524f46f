import { startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { campaigns, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { verifyApiKey } from "../shops/keys.ts";
import { createTestRuntime, fakeAdminEnv } from "../testing.ts";
import { parseArgs } from "./args.ts";
import { UsageError } from "./commands.ts";
import { apiKey, catalog, install, pixel } from "./setup-commands.ts";

function capture() {
  const printed: unknown[] = [];
  return { printed, out: (value: unknown) => printed.push(value) };
}

describeEachDatabase("cartback install / api-key / pixel / catalog", (database) => {
  it("installs a shop with its default campaign, idempotently", async () => {
    const runtime = createTestRuntime(database());
    const shop = randomShop();
    await install(runtime, parseArgs([shop]), capture().out);
    await install(runtime, parseArgs([shop]), capture().out);
    expect(await database().db.select().from(shops).where(eq(shops.shop, shop))).toHaveLength(1);
    expect(await database().db.select().from(campaigns).where(eq(campaigns.shop, shop))).toHaveLength(1);
    await expect(install(runtime, parseArgs(["not a shop"]), capture().out)).rejects.toBeInstanceOf(UsageError);
  });

  it("issues an API key that authenticates, and revokes the previous one", async () => {
    const runtime = createTestRuntime(database());
    const shop = randomShop();
    await install(runtime, parseArgs([shop]), capture().out);
    const first = capture();
    await apiKey(runtime, parseArgs([shop]), first.out);
    const key1 = (first.printed[0] as { apiKey: string }).apiKey;
    expect(await verifyApiKey(database().db, `Bearer ${key1}`)).toEqual({ type: "ok", shop });
    const second = capture();
    await apiKey(runtime, parseArgs([shop]), second.out);
    const key2 = (second.printed[0] as { apiKey: string }).apiKey;
    expect(key2).not.toBe(key1);
    expect((await verifyApiKey(database().db, `Bearer ${key1}`)).type).toBe("unauthorized");
    await expect(apiKey(runtime, parseArgs([randomShop()]), capture().out)).rejects.toThrow(/no shop/);
  });

  it("activates the pixel and switches Catalog Sync through the Admin API", async () => {
    const shop = randomShop();
    const fake = await startFakeShopifyAdmin({ shop });
    try {
      const runtime = createTestRuntime(database(), fakeAdminEnv(shop, fake));
      await install(runtime, parseArgs([shop]), capture().out);
      const activated = capture();
      await pixel(runtime, parseArgs([shop]), activated.out);
      expect(activated.printed[0]).toMatchObject({ type: "created" });
      expect(fake.state.webPixels).toHaveLength(1);

      const off = capture();
      await catalog(runtime, parseArgs([shop, "off"]), off.out);
      const [row] = await database().db.select().from(shops).where(eq(shops.shop, shop));
      expect(row?.catalogSyncEnabled).toBe(false);
      const on = capture();
      await catalog(runtime, parseArgs([shop, "on"]), on.out);
      const [after] = await database().db.select().from(shops).where(eq(shops.shop, shop));
      expect(after?.catalogSyncEnabled).toBe(true);
      expect(fake.state.bulkOperations.length).toBeGreaterThan(0);
      // The CLI waits for its sync: its database closes when it exits, and a poller left
      // behind died with it ("Cannot use a pool after calling end on the pool").
      expect(on.printed[0]).toMatchObject({ summary: expect.stringMatching(/^On — last synced/), lastSync: { status: "completed" } });
      await expect(catalog(runtime, parseArgs([shop, "maybe"]), capture().out)).rejects.toBeInstanceOf(UsageError);

      // --no-wait hands the sync to a running worker (maintenance adopts syncs nobody polls).
      await database().db.update(shops).set({ catalogSyncEnabled: false }).where(eq(shops.shop, shop));
      const handedOver = capture();
      await catalog(runtime, parseArgs([shop, "on", "--no-wait"]), handedOver.out);
      expect(handedOver.printed[0]).toMatchObject({ lastSync: { status: "running" } });
    } finally {
      await fake.close();
    }
  });
});
