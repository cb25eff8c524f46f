import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { signIn } from "../server/admin-auth/session.ts";
import { apiRequest, installShop } from "../server/ingest/testing.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { action as apiAction } from "./api.v1.events.ts";
import { loader } from "./app.profiles._index.tsx";

interface Listed {
  page: { profiles: { email: string | null; customerId: string | null }[]; shopHasProfiles: boolean };
}

describeEachDatabase("profiles search", (database) => {
  /** A shop with `shoppers` (each one Added to Cart with its identifiers): a search of it. */
  async function shopWith(shoppers: Record<string, string>[]) {
    const shop = randomShop("search");
    const runtime = createTestRuntime(database(), { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_test", SHOPIFY_API_SECRET: "secret" });
    const { apiKey } = await installShop(database(), shop);
    const events = shoppers.map((ids, index) => ({ id: `add-${index}`, name: "Added to Cart", occurredAt: new Date().toISOString(), variantId: "1", quantity: 1, price: "10", currency: "EUR", ...ids }));
    if (events.length) {
      const added = (await apiAction(routeArgs(runtime, apiRequest(apiKey, { events })) as never)) as Response;
      expect(added.status).toBe(200);
    }
    const login = await signIn(runtime, new Request("http://localhost/auth/login"));
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    return async (query: string): Promise<Listed["page"]> => {
      const request = new Request(`http://localhost/app/profiles?q=${encodeURIComponent(query)}`, { headers: { Cookie: cookie } });
      const response = (await loader(routeArgs(runtime, request) as never)) as Response;
      return ((await response.json()) as Listed).page;
    };
  }
  const emails = (page: Listed["page"]) => page.profiles.map((p) => p.email).sort();

  it("finds shoppers by the start of their email, whatever its case", async () => {
    const search = await shopWith([{ email: "ana@example.com" }, { email: "Anabel@Example.com" }, { email: "bob@example.com" }, { email: "an.b@example.com" }]);
    expect(emails(await search("ana"))).toEqual(["ana@example.com", "anabel@example.com"]);
    expect(emails(await search("ANA@"))).toEqual(["ana@example.com"]);
    expect(emails(await search("ana@example.com"))).toEqual(["ana@example.com"]);
    expect(emails(await search("b"))).toEqual(["bob@example.com"]);
    expect(emails(await search("an."))).toEqual(["an.b@example.com"]);
  });

  it("finds a shopper by a whole customer id or cart token, not by a part of one", async () => {
    const search = await shopWith([{ customerId: "7001", cartToken: "c1-Abc123" }, { email: "ana@example.com" }]);
    expect((await search("7001")).profiles.map((p) => p.customerId)).toEqual(["7001"]);
    expect((await search("gid://shopify/Customer/7001")).profiles).toHaveLength(1);
    expect((await search("c1-Abc123")).profiles).toHaveLength(1);
    expect((await search("c1-Abc123?key=secret")).profiles).toHaveLength(1);
    expect((await search("700")).profiles).toHaveLength(0);
    expect((await search("c1-Abc")).profiles).toHaveLength(0);
  });

  it("finds only the shop's own shoppers", async () => {
    await shopWith([{ email: "ana@example.com" }]);
    const search = await shopWith([{ email: "bob@example.com" }]);
    expect((await search("ana")).profiles).toHaveLength(0);
  });

  it("tells a search without a match from a shop without shoppers", async () => {
    const search = await shopWith([{ email: "ana@example.com" }]);
    expect(await search("zed")).toMatchObject({ profiles: [], shopHasProfiles: true });
    const empty = await shopWith([]);
    expect(await empty("ana")).toMatchObject({ profiles: [], shopHasProfiles: false });
  });
});
