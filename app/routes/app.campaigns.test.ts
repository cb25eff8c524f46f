import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { signIn } from "../server/admin-auth/session.ts";
import { listCampaigns } from "../server/campaigns/repository.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { action, loader } from "./app.campaigns.tsx";
import { loader as outboxLoader } from "./app.outbox.tsx";

describeEachDatabase("admin campaigns page", (database) => {
  async function signedIn() {
    const shop = randomShop("adm");
    const runtime = createTestRuntime(database(), { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_test", SHOPIFY_API_SECRET: "secret" });
    const login = await signIn(runtime, new Request("http://localhost/auth/login"));
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    return { shop, runtime, cookie };
  }
  const form = (cookie: string, fields: Record<string, string>) =>
    new Request("http://localhost/app/campaigns", { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });

  it("shows the default campaign and saves steps, quiet hours and a cap", async () => {
    const s = await signedIn();
    const page = (await loader(routeArgs(s.runtime, new Request("http://localhost/app/campaigns", { headers: { Cookie: s.cookie } })) as never)) as Response;
    const body = (await page.json()) as { campaigns: { id: string }[] };
    expect(body.campaigns).toHaveLength(1);
    const saved = (await action(routeArgs(s.runtime, form(s.cookie, { id: body.campaigns[0]!.id, active: "on", steps: "20m,1d", quiet: "21:00-08:00", cap: "1/12h", "max-age": "3d", cooldown: "0s", "empty-cart": "skip", consent: "marketing" })) as never)) as Response;
    expect(saved.status).toBe(200);
    const [campaign] = await listCampaigns(database().db, s.shop);
    expect(campaign).toMatchObject({ active: true, steps: [{ delayMs: 1_200_000 }, { delayMs: 86_400_000 }], settings: { consent: "marketing", quietHours: { start: "21:00", end: "08:00" }, frequencyCap: { count: 1, windowMs: 43_200_000 } } });
  });

  it("answers a bad value with a 400 naming the field and changes nothing", async () => {
    const s = await signedIn();
    const page = (await loader(routeArgs(s.runtime, new Request("http://localhost/app/campaigns", { headers: { Cookie: s.cookie } })) as never)) as Response;
    const id = ((await page.json()) as { campaigns: { id: string }[] }).campaigns[0]!.id;
    const bad = (await action(routeArgs(s.runtime, form(s.cookie, { id, steps: "24h,15m" })) as never)) as Response;
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("steps");
    const badQuiet = (await action(routeArgs(s.runtime, form(s.cookie, { id, quiet: "late" })) as never)) as Response;
    expect(((await badQuiet.json()) as { error: { field: string } }).error.field).toBe("quiet");
    const [campaign] = await listCampaigns(database().db, s.shop);
    expect(campaign!.steps).toEqual([{ delayMs: 900_000, template: null }]);
    const outbox = (await outboxLoader(routeArgs(s.runtime, new Request("http://localhost/app/outbox", { headers: { Cookie: s.cookie } })) as never)) as Response;
    expect(((await outbox.json()) as { rows: unknown[] }).rows).toEqual([]);
  });
});
