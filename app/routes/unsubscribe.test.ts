import { shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { isSuppressed } from "../server/campaigns/suppressions.ts";
import { signUnsubscribeToken } from "../server/mail/unsubscribe.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { action, loader } from "./unsubscribe.ts";

describeEachDatabase("unsubscribe", (database) => {
  const setup = () => {
    const runtime = createTestRuntime(database());
    const shop = randomShop("unsub");
    const token = signUnsubscribeToken(runtime.appSecret, shop, "Jane.Doe@Example.com");
    return { runtime, shop, token, url: `https://cartback.test/unsubscribe?t=${encodeURIComponent(token)}` };
  };

  it("shows a confirmation page on GET and suppresses nothing (mail scanners follow links)", async () => {
    const s = setup();
    const response = (await loader(routeArgs(s.runtime, new Request(s.url)) as never)) as Response;
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<form method=\"post\"");
    expect(html).toContain("j***@example.com");
    expect(html).not.toContain("Jane.Doe");
    expect(await isSuppressed(database().db, s.shop, "jane.doe@example.com")).toBe(false);
  });

  it("names the store as its emails do (its name), and its domain only when it has no name", async () => {
    const s = setup();
    const page = async () => ((await loader(routeArgs(s.runtime, new Request(s.url)) as never)) as Response).text();
    expect(await page()).toContain(`<strong>${s.shop}</strong>`);
    const named = setup();
    await database().db.insert(shops).values({ shop: named.shop, name: "Ana's <Tea> Shop", currency: "USD" });
    const html = await ((await loader(routeArgs(named.runtime, new Request(named.url)) as never)) as Response).text();
    expect(html).toContain("<strong>Ana&#39;s &#60;Tea&#62; Shop</strong>");
    expect(html).not.toContain(named.shop);
  });

  it("suppresses the address for the shop on a one-click POST (RFC 8058)", async () => {
    const s = setup();
    const request = new Request(s.url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    const response = (await action(routeArgs(s.runtime, request) as never)) as Response;
    expect(response.status).toBe(200);
    expect(await isSuppressed(database().db, s.shop, "jane.doe@example.com")).toBe(true);
    expect(await isSuppressed(database().db, randomShop("other"), "jane.doe@example.com")).toBe(false);
    const again = (await action(routeArgs(s.runtime, new Request(s.url, { method: "POST", headers: { Accept: "text/html" } })) as never)) as Response;
    expect(await again.text()).toContain("You are unsubscribed");
  });

  it("refuses a forged or truncated token with a 400 naming the field", async () => {
    const s = setup();
    const forged = s.url.replace(/.{4}$/, "AAAA");
    const response = (await action(routeArgs(s.runtime, new Request(forged, { method: "POST" })) as never)) as Response;
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "invalid_token", field: "t", message: "the unsubscribe token is not valid" } });
    const page = (await loader(routeArgs(s.runtime, new Request("https://cartback.test/unsubscribe?t=abc")) as never)) as Response;
    expect(page.status).toBe(400);
    const missing = (await action(routeArgs(s.runtime, new Request("https://cartback.test/unsubscribe", { method: "POST" })) as never)) as Response;
    expect(missing.status).toBe(400);
  });
});
