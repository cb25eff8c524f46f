import { shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { signIn } from "../server/admin-auth/session.ts";
import { readRevenueSettings } from "../server/revenue/settings.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { action } from "./app.results.tsx";

describeEachDatabase("Results page tracking settings", (database) => {
  async function signedIn() {
    const shop = randomShop("res");
    const runtime = createTestRuntime(database(), { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_test", SHOPIFY_API_SECRET: "secret" });
    const login = await signIn(runtime, new Request("http://localhost/auth/login"));
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    await database().db.insert(shops).values({ shop });
    const post = async (fields: Record<string, string>) =>
      (await action(routeArgs(runtime, new Request("http://localhost/app/results", { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) })) as never)) as Response;
    return { post, stored: () => readRevenueSettings(database().db, shop) };
  }

  it("refuses an attribution window outside 1 to 30 days by name and range, and saves nothing", async () => {
    const s = await signedIn();
    for (const bad of ["-1", "", "100000", "0", "31", "2.5", "abc"]) {
      const response = await s.post({ clickTracking: "on", attributionWindowDays: bad });
      expect(response.status, bad).toBe(400);
      expect(await response.json(), bad).toEqual({ error: { field: "attributionWindowDays", message: "Attribution window must be a whole number of days from 1 to 30" } });
    }
    expect((await s.stored()).attributionWindowDays).toBe(5);
    expect((await s.post({ clickTracking: "on", attributionWindowDays: "30" })).status).toBe(200);
    expect((await s.stored()).attributionWindowDays).toBe(30);
  });
});
