import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { signIn } from "../server/admin-auth/session.ts";
import { apiRequest, installShop } from "../server/ingest/testing.ts";
import { findProfileId } from "../server/profiles/repository.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { action as apiAction } from "./api.v1.events.ts";
import { loader } from "./app.profiles.$id.tsx";

describeEachDatabase("profile page prices", (database) => {
  /** A shop in `currency` printing with `moneyFormat`, a shopper who added one line at `price`: the page's price text. */
  async function shownPrice(currency: string, moneyFormat: string, price: string, lineCurrency = currency): Promise<string> {
    const shop = randomShop("money");
    const runtime = createTestRuntime(database(), { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_test", SHOPIFY_API_SECRET: "secret" });
    const { apiKey } = await installShop(database(), shop, { currency, moneyFormat });
    const event = { id: "add-1", name: "Added to Cart", occurredAt: new Date().toISOString(), email: "ana@example.com", variantId: "1", quantity: 1, price, currency: lineCurrency };
    const added = (await apiAction(routeArgs(runtime, apiRequest(apiKey, { events: [event] })) as never)) as Response;
    expect(added.status).toBe(200);
    const profileId = await findProfileId(database().db, shop, "email", "ana@example.com");
    const login = await signIn(runtime, new Request("http://localhost/auth/login"));
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    const page = (await loader(routeArgs(runtime, new Request(`http://localhost/app/profiles/${profileId}`, { headers: { Cookie: cookie } }), { id: profileId! }) as never)) as Response;
    return ((await page.json()) as { prices: string[] }).prices[0]!;
  }

  it("prints JPY without decimals", async () => {
    expect(await shownPrice("JPY", "¥{{amount_no_decimals}}", "1500")).toBe("¥1,500");
  });

  it("prints KWD from its three minor digits", async () => {
    expect(await shownPrice("KWD", "{{amount}} KD", "29.125")).toBe("29.13 KD");
  });

  it("prints EUR with comma decimals", async () => {
    expect(await shownPrice("EUR", "{{amount_with_comma_separator}} €", "1234.5")).toBe("1.234,50 €");
  });

  it("prints a line in another currency than the shop's with that currency's digits and code", async () => {
    expect(await shownPrice("EUR", "€{{amount}}", "1500", "JPY")).toBe("1,500 JPY");
  });
});
