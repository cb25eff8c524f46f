import { shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { signIn } from "../server/admin-auth/session.ts";
import { readShopSettings } from "../server/settings/shop-settings.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { action, loader } from "./app.settings.tsx";

describeEachDatabase("admin settings page", (database) => {
  async function signedIn() {
    const shop = randomShop("set");
    const runtime = createTestRuntime(database(), { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_test", SHOPIFY_API_SECRET: "secret" });
    const login = await signIn(runtime, new Request("http://localhost/auth/login"));
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    await database().db.insert(shops).values({ shop });
    const opened = (await loader(routeArgs(runtime, new Request("http://localhost/app/settings", { headers: { Cookie: cookie } })) as never)) as Response;
    expect(((await opened.json()) as { settings: { shop: string } }).settings.shop).toBe(shop);
    const post = async (fields: Record<string, string>) =>
      (await action(routeArgs(runtime, new Request("http://localhost/app/settings", { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) })) as never)) as Response;
    const stored = async () => (await readShopSettings(database().db, shop))!;
    return { post, stored };
  }
  const page = { timezone: "UTC", fromName: "", fromAddress: "", replyTo: "" };

  it("switches Cart Tracking off and on again from the posted on/off, and keeps it when the field is left out", async () => {
    const s = await signedIn();
    expect((await s.stored()).cartTrackingEnabled).toBe(true);
    expect((await s.post({ ...page, cartTrackingEnabled: "off" })).status).toBe(200);
    expect((await s.stored()).cartTrackingEnabled).toBe(false);
    expect((await s.post({ ...page, cartTrackingEnabled: "on" })).status).toBe(200);
    expect((await s.stored()).cartTrackingEnabled).toBe(true);
    expect((await s.post({ ...page, timezone: "Europe/Berlin" })).status).toBe(200);
    expect(await s.stored()).toMatchObject({ cartTrackingEnabled: true, timezone: "Europe/Berlin" });
  });

  it("refuses the empty value a ticked Polaris Checkbox posts instead of reading it as off", async () => {
    const s = await signedIn();
    const response = await s.post({ ...page, cartTrackingEnabled: "" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ type: "invalid", field: "cartTrackingEnabled", message: "Cart Tracking must be on or off" });
    expect((await s.stored()).cartTrackingEnabled).toBe(true);
  });

  it("names a bad field as the page labels it and saves nothing", async () => {
    const s = await signedIn();
    const zone = await s.post({ ...page, cartTrackingEnabled: "off", timezone: "Mars/Olympus" });
    expect(zone.status).toBe(400);
    expect(await zone.json()).toEqual({ type: "invalid", field: "timezone", message: "Time zone must be an IANA time zone like Europe/Paris" });
    const from = await s.post({ ...page, cartTrackingEnabled: "off", fromAddress: "shop at example" });
    expect(await from.json()).toEqual({ type: "invalid", field: "fromAddress", message: "From address must be an email address, like shop@example.com" });
    expect(await s.stored()).toMatchObject({ cartTrackingEnabled: true, timezone: "UTC" });
  });

  it("refuses a From address or Reply-to that SMTP or DNS would refuse, by name, and saves nothing", async () => {
    const s = await signedIn();
    const long = await s.post({ ...page, cartTrackingEnabled: "off", fromAddress: `shop@${"a".repeat(300)}.com` });
    expect(long.status).toBe(400);
    expect(await long.json()).toEqual({ type: "invalid", field: "fromAddress", message: "From address must be an email address whose domain parts (between dots) have at most 63 characters each" });
    const reply = await s.post({ ...page, replyTo: `${"a".repeat(65)}@example.com` });
    expect(await reply.json()).toEqual({ type: "invalid", field: "replyTo", message: "Reply-to must be an email address with at most 64 characters before the @" });
    expect(await s.stored()).toMatchObject({ cartTrackingEnabled: true, sender: { fromAddress: null, replyTo: null } });
    expect((await s.post({ ...page, fromAddress: `shop@${"a".repeat(63)}.com` })).status).toBe(200);
    expect((await s.stored()).sender.fromAddress).toBe(`shop@${"a".repeat(63)}.com`);
  });
});
