import { sessionTable } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { generateProducts, startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { createAdminClient } from "./admin-client.ts";

const TOKEN = "shpat_test1234567890";
const SHOP_QUERY = "{ shop { name currencyCode } }";

function selfHosted(shop: string, origin: string) {
  return loadConfig({ NODE_ENV: "test", SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: TOKEN, SHOPIFY_API_SECRET: "s3cret", SHOPIFY_ADMIN_API_ORIGIN: origin });
}

/** A clock the fake and the client share: sleeping advances it, so no test really waits. */
function virtualClock() {
  let t = 1_800_000_000_000;
  const waits: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
    waits,
  };
}

describeEachDatabase("Admin GraphQL client", (database) => {
  it("uses SHOPIFY_ADMIN_TOKEN against SHOPIFY_ADMIN_API_ORIGIN in self-hosted mode", async () => {
    const shop = randomShop();
    const fake = await startFakeShopifyAdmin({ shop, accessToken: TOKEN, shopInfo: { currencyCode: "EUR" } });
    try {
      const client = createAdminClient({ config: selfHosted(shop, fake.origin), database: database() });
      const result = await client.request<{ shop: { currencyCode: string } }>(shop, SHOP_QUERY);
      expect(result).toEqual({ type: "ok", data: { shop: expect.objectContaining({ currencyCode: "EUR" }) } });
      expect((await client.request(randomShop(), SHOP_QUERY)).type).toBe("not_installed");
    } finally {
      await fake.close();
    }
  });

  it("uses the shop's offline session in partner mode and reports a missing or refused one", async () => {
    const shop = randomShop();
    const fake = await startFakeShopifyAdmin({ shop, accessToken: TOKEN });
    try {
      const config = loadConfig({ NODE_ENV: "test", SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "s3cret", SHOPIFY_APP_URL: "https://app.example", SHOPIFY_ADMIN_API_ORIGIN: fake.origin });
      const client = createAdminClient({ config, database: database() });
      expect(await client.request(shop, SHOP_QUERY)).toMatchObject({ type: "not_installed", reason: "no offline session for this shop" });
      await database().db.insert(sessionTable).values({ id: `offline_${shop}`, shop, state: "", accessToken: TOKEN });
      expect((await client.request(shop, SHOP_QUERY)).type).toBe("ok");
      const other = randomShop();
      await database().db.insert(sessionTable).values({ id: `offline_${other}`, shop: other, state: "", accessToken: "shpat_revoked" });
      expect(await client.request(other, SHOP_QUERY)).toMatchObject({ type: "not_installed", reason: expect.stringContaining("401") });
    } finally {
      await fake.close();
    }
  });

  it("returns GraphQL errors for an operation Shopify does not know", async () => {
    const shop = randomShop();
    const fake = await startFakeShopifyAdmin({ shop, accessToken: TOKEN });
    try {
      const client = createAdminClient({ config: selfHosted(shop, fake.origin), database: database() });
      const result = await client.request(shop, "{ orderz { id } }");
      expect(result).toEqual({ type: "graphql_errors", errors: [expect.objectContaining({ code: "undefinedField" })] });
    } finally {
      await fake.close();
    }
  });

  it("backs off on THROTTLED by the restore rate, then paces calls from throttleStatus", async () => {
    const shop = randomShop();
    const clock = virtualClock();
    const fake = await startFakeShopifyAdmin({ shop, accessToken: TOKEN, products: generateProducts(500, 1), bucket: { maximumAvailable: 300, restoreRate: 50 }, now: clock.now });
    try {
      const client = createAdminClient({ config: selfHosted(shop, fake.origin), database: database(), now: clock.now, sleep: clock.sleep });
      const page = "query($first: Int!) { products(first: $first) { nodes { id } } }";
      fake.state.bucket.drain();
      const first = await client.request<{ products: { nodes: unknown[] } }>(shop, page, { first: 250 });
      expect(first.type).toBe("ok");
      // 252 points at 50/s: at least ~5 s of waiting, in as few attempts as the numbers allow.
      expect(clock.waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5000);
      const throttledCalls = fake.state.requests.filter((r) => r.throttled).length;
      expect(throttledCalls).toBe(1);
      // The client now knows the cost and the empty bucket: it waits before asking again.
      await client.request(shop, page, { first: 250 });
      expect(fake.state.requests.filter((r) => r.throttled).length).toBe(1);
    } finally {
      await fake.close();
    }
  });

  it("gives up with a typed result once throttling exceeds the budget", async () => {
    const shop = randomShop();
    const clock = virtualClock();
    const fake = await startFakeShopifyAdmin({ shop, accessToken: TOKEN, bucket: { maximumAvailable: 100, restoreRate: 1 }, now: clock.now });
    try {
      const client = createAdminClient({ config: selfHosted(shop, fake.origin), database: database(), now: clock.now, sleep: clock.sleep, throttleBudgetMs: 3000 });
      fake.state.bucket.drain();
      const result = await client.request(shop, "mutation { webPixelCreate(webPixel: {settings: \"{}\"}) { userErrors { message } } }");
      expect(result.type).toBe("throttled");
    } finally {
      await fake.close();
    }
  });
});
