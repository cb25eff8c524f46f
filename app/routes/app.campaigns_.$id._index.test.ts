import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { signIn } from "../server/admin-auth/session.ts";
import { getCrossCampaignCap } from "../server/campaigns/cross-campaign.ts";
import { listCampaigns } from "../server/campaigns/repository.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { loader as listLoader } from "./app.campaigns.tsx";
import { action, loader } from "./app.campaigns_.$id._index.tsx";

describeEachDatabase("one campaign's page and the list's intents", (database) => {
  async function signedIn() {
    const shop = randomShop("adm");
    const runtime = createTestRuntime(database(), { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_test", SHOPIFY_API_SECRET: "secret", MAIL_FROM: "shop@example.com" });
    const login = await signIn(runtime, new Request("http://localhost/auth/login"));
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    const list = (await listLoader(routeArgs(runtime, new Request("http://localhost/app/campaigns", { headers: { Cookie: cookie } })) as never)) as Response;
    const { campaigns } = (await list.json()) as { campaigns: { id: string }[] };
    return { shop, runtime, cookie, id: campaigns[0]!.id };
  }
  const post = async (s: Awaited<ReturnType<typeof signedIn>>, fields: Record<string, string>) => {
    const request = new Request(`http://localhost/app/campaigns/${s.id}`, { method: "POST", headers: { Cookie: s.cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });
    const response = (await action(routeArgs(s.runtime, request, { id: s.id }) as never)) as Response;
    return { status: response.status, location: response.headers.get("Location"), body: response.status === 302 ? null : ((await response.json()) as { error?: { field?: string } }) };
  };

  it("answers bad input with a 400 naming the field and an unknown campaign with a 404", async () => {
    const s = await signedIn();
    expect(await post(s, { intent: "create", name: "" })).toMatchObject({ status: 400, body: { error: { field: "name" } } });
    expect(await post(s, { intent: "delete", id: s.id })).toMatchObject({ status: 400, body: { error: { field: "confirm" } } });
    expect(await post(s, { intent: "delete", id: s.id, confirm: "yes" })).toMatchObject({ status: 400, body: { error: { field: "confirm" } } });
    expect(await post(s, { intent: "cross-campaign", crossCampaignCap: "two" })).toMatchObject({ status: 400, body: { error: { field: "crossCampaignCap" } } });
    expect(await post(s, { intent: "nonsense" })).toMatchObject({ status: 400, body: { error: { field: "intent" } } });
    expect(await post(s, { intent: "duplicate", id: "nope" })).toMatchObject({ status: 404, body: { error: { field: "id" } } });
    expect(await post(s, { intent: "pause", id: "nope" })).toMatchObject({ status: 404, body: { error: { field: "id" } } });
  });

  it("saves the cross-campaign cap, opens a new campaign in its editor and 404s a deleted one", async () => {
    const s = await signedIn();
    expect(await post(s, { intent: "cross-campaign", crossCampaignCap: "off" })).toMatchObject({ status: 200 });
    expect(await getCrossCampaignCap(s.runtime.database.db, s.shop)).toBe("off");
    const created = await post(s, { intent: "create", name: "Second" });
    expect(created.status).toBe(302);
    const id = created.location!.split("/").pop()!;
    const page = (await loader(routeArgs(s.runtime, new Request(`http://localhost${created.location}`, { headers: { Cookie: s.cookie } }), { id }) as never)) as Response;
    expect(((await page.json()) as { campaign: { name: string; active: boolean } }).campaign).toMatchObject({ name: "Second", active: false });
    expect(await post(s, { intent: "delete", id, confirm: "delete" })).toMatchObject({ status: 302, location: "/app/campaigns?deleted=Second" });
    await expect(loader(routeArgs(s.runtime, new Request(`http://localhost/app/campaigns/${id}`, { headers: { Cookie: s.cookie } }), { id }) as never)).rejects.toMatchObject({ status: 404 });
  });

  it("refuses a second campaign of the same name (created or renamed) under Name, and names a duplicate afresh", async () => {
    const s = await signedIn();
    const names = async () => (await listCampaigns(s.runtime.database.db, s.shop)).map((c) => c.name);
    const [first] = await names();
    const taken = `Name: another campaign is already named "${first!.toUpperCase()}"`;
    expect(await post(s, { intent: "create", name: first!.toUpperCase() })).toMatchObject({ status: 400, body: { error: { field: "name", message: taken } } });
    expect(await names()).toEqual([first]);
    const second = await post(s, { intent: "create", name: "Winback" });
    const secondId = second.location!.split("/").pop()!;
    expect(await post(s, { id: secondId, name: ` ${first!} ` })).toMatchObject({ status: 400, body: { error: { field: "name", message: `Name: another campaign is already named "${first!}"` } } });
    expect(await names()).toEqual([first, "Winback"]);
    expect(await post(s, { id: secondId, name: "Winback", holdout: "5" })).toMatchObject({ status: 200 });
    expect(await post(s, { intent: "duplicate", id: secondId })).toMatchObject({ status: 302 });
    expect(await post(s, { intent: "duplicate", id: secondId })).toMatchObject({ status: 302 });
    const copy = (await listCampaigns(s.runtime.database.db, s.shop)).find((c) => c.name === "Winback (copy)")!;
    expect(await post(s, { intent: "duplicate", id: copy.id })).toMatchObject({ status: 302 });
    expect(await names()).toEqual([first, "Winback", "Winback (copy)", "Winback (copy 2)", "Winback (copy 3)"]);
    expect(await post(s, { id: copy.id, name: "winback (COPY 2)" })).toMatchObject({ status: 400, body: { error: { field: "name" } } });
  });
});
