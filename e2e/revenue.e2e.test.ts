import { availableDatabases, launchChromium, type WebhookDelivery } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clickTargets } from "../app/server/revenue/testing.ts";
import { resultTable } from "./support/results-page.ts";
import { deliverWebhook, type E2eShop, startE2eShop, waitForMailTo } from "./support/shop.ts";
import { cartPayload, checkoutPayload, type Line, orderPayload, type Shopper, linesCents, newCartToken, subscribedShopper } from "./support/webhooks.ts";

// Recovered revenue from outside, on the app as npm start runs it: an email's restore link
// goes through the click redirect (recorded, lands on the cart permalink), signed orders/create
// are attributed (after a click; by the emailed checkout's token), a signed refunds/create is
// netted, and the Results page and its numbers say so.

describe.each(availableDatabases())("recovered revenue on %s", (database) => {
  let shop: E2eShop;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s" } });
  });
  afterAll(() => shop?.stop());

  const deliver = (delivery: WebhookDelivery) => deliverWebhook(shop, delivery);
  const shopper = subscribedShopper;
  const now = () => new Date().toISOString();
  const token = newCartToken;
  const cents = linesCents;

  /** A cart and a checkout naming the shopper; resolves with the email the campaign sends. */
  const abandon = async (who: Shopper, lines: Line[]) => {
    const cart = token();
    await deliver({ topic: "carts/create", raw: cartPayload(cart, now(), now(), lines) });
    await deliver({ topic: "checkouts/create", raw: checkoutPayload(`k${cart}`, cart, now(), who, lines) });
    const mail = await waitForMailTo(shop, who.email);
    return { cart, checkout: `k${cart}`, html: String(mail.html) };
  };

  /** Per campaign and per day: the one campaign and today carry every figure; the charts are drawn on the server. */
  const expectTables = (html: string, net: number) => {
    const digits = (cell: string | undefined) => cell?.replace(/\D/g, "");
    const campaigns = resultTable(html, "Per campaign");
    expect(campaigns[0]).toEqual(["Campaign", "Abandoned", "Emails sent", "Skipped", "Held out", "Clicks", "Recovered orders", "Revenue"]);
    expect(campaigns).toHaveLength(2);
    expect(campaigns[1]!.slice(1, 7)).toEqual(["2", "2", "0", "0", "1", "2"]);
    expect(digits(campaigns[1]![7])).toBe(String(net));
    const days = resultTable(html, "Per day");
    // Days are the shop's (the page's subtitle names its time zone): from 00:00 UTC to the shop's midnight, UTC's date is a day ahead.
    const zone = /\(([A-Za-z_]+(?:\/[A-Za-z_+-]+)*)\) · /.exec(html)?.[1];
    expect(zone, "the Results page names the shop's time zone").toBeDefined();
    const todayInShop = new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());
    const today = days.find((row) => row[0] === todayInShop);
    expect(today?.slice(1, 7)).toEqual(["2", "2", "0", "0", "1", "2"]);
    expect(digits(today?.[7])).toBe(String(net));
    expect(html).toMatch(/<figure[^>]*data-chart="Recovered revenue"/);
    const bars = [...html.matchAll(/<rect [^>]*><title>(\d{4}-\d{2}-\d{2}): Recovered revenue ([^<]*)<\/title>/g)];
    expect(bars).toHaveLength(7);
    expect(digits(bars.find((bar) => bar[1] === today?.[0])?.[2])).toBe(String(net));
  };

  it("shows the empty state before any cart, and refuses a bad attribution window with 400 on that field", async () => {
    const empty = await shop.merchant.get("/app/results?days=7");
    expect(empty.status).toBe(200);
    expect(empty.html).toContain("No results yet");
    expect(empty.html).not.toContain("data-chart=");
    const refused = await shop.merchant.submit("/app/results?days=7", { clickTracking: "on", attributionWindowDays: "0" });
    expect(refused.status).toBe(400);
    expect(refused.html).toMatch(/Attribution window \(days\)[\s\S]*Polaris-InlineError/);
    const saved = await shop.merchant.submit("/app/results?days=7", { clickTracking: "on", attributionWindowDays: "7" });
    expect(saved.status).toBe(200);
    expect(saved.html).toContain("Saved.");
    expect(saved.html).toMatch(/name="attributionWindowDays"[^>]*value="7"/);
  });

  it("follows the email's link to the cart, attributes the orders, nets the refund and shows it on the Results page", async () => {
    const [beanie, socks, , , mug] = shop.variants;
    const ana = shopper("ana", 93_000_001);
    const ben = shopper("ben", 93_000_002);
    const anaLines: Line[] = [{ variant: beanie!, quantity: 2 }, { variant: socks!, quantity: 1 }];
    const benLines: Line[] = [{ variant: mug!, quantity: 3 }];
    const [anaMail, benMail] = await Promise.all([abandon(ana, anaLines), abandon(ben, benLines)]);

    // The restore link is ours, signed, and lands on the permalink with exactly the cart's lines.
    const links = [...anaMail.html.matchAll(/href="[^"]*(\/r\/[\w-]+\.[\w-]+)"/g)].map((m) => `${shop.app.url}${m[1]}`);
    const link = links.find((href) => /\/cart\/\d+:/.test(clickTargets(`href="${href}"`)[0] ?? ""));
    expect(link, "the restore link goes through the click redirect").toBeDefined();
    expect(anaMail.html).not.toMatch(/href="https:\/\/[^"]*\/cart\/\d+:/);
    const followed = await fetch(link!, { redirect: "manual" });
    expect(followed.status).toBe(302);
    const landing = new URL(followed.headers.get("location")!);
    expect(landing.pathname).toBe(`/cart/${beanie!.id}:2,${socks!.id}:1`);
    expect(landing.searchParams.get("storefront")).toBe("true");
    const tampered = await fetch(`${link!.slice(0, -4)}AAAA`, { redirect: "manual" });
    expect(tampered.status).toBe(400);
    expect(tampered.headers.get("location")).toBeNull();

    // Ana orders from the cart the permalink made (a new token): credited to her click.
    // Ben orders from the checkout he was emailed about, without clicking.
    const anaOrder = String(Date.now());
    await deliver({ topic: "orders/create", raw: orderPayload(anaOrder, token(), `k${token()}`, now(), ana, anaLines) });
    await deliver({ topic: "orders/create", raw: orderPayload(String(Date.now() + 1), token(), benMail.checkout, now(), ben, benLines) });
    // A second source of Ana's order changes nothing.
    await deliver({ topic: "orders/paid", raw: orderPayload(anaOrder, token(), `k${token()}`, now(), ana, anaLines) });
    const refund = JSON.stringify({ id: Date.now(), order_id: Number(anaOrder), created_at: now(), transactions: [{ kind: "refund", status: "success", amount: "1.50", currency: "USD" }] });
    await deliver({ topic: "refunds/create", raw: refund });
    await deliver({ topic: "refunds/create", raw: refund });

    const { status, html } = await shop.merchant.get("/app/results?days=7");
    expect(status).toBe(200);
    const figure = (id: string) => new RegExp(`data-figure="${id}">([^<]*)<`).exec(html)?.[1];
    const net = cents(anaLines) + cents(benLines) - 150;
    // Printed in the shop's money format: its digits are the net minor units.
    expect(figure("revenue")?.replace(/\D/g, "")).toBe(String(net));
    expect(figure("orders")).toBe("2");
    expect(figure("clicks")).toBe("1");
    expect(figure("sent")).toBe("2");
    expect(/data-funnel-step="Clicked">(\d+)</.exec(html)?.[1]).toBe("1");
    expect(/data-funnel-step="Recovered">(\d+)</.exec(html)?.[1]).toBe("2");
    expectTables(html, net);
    // By attribution rule: Ana's order by her click (net of her refund), Ben's by his checkout.
    const ruleCell = (rule: string, metric: string) => new RegExp(`data-rule-cell="${rule}:${metric}">([^<]*)<`).exec(html)?.[1];
    expect(ruleCell("click", "orders")).toBe("1");
    expect(ruleCell("click", "revenue")?.replace(/\D/g, "")).toBe(String(cents(anaLines) - 150));
    expect(ruleCell("checkout_token", "orders")).toBe("1");
    expect(ruleCell("checkout_token", "revenue")?.replace(/\D/g, "")).toBe(String(cents(benLines)));
    expect(html).not.toContain('data-rule-cell="cart_token:orders"');

    // The merchant's view in Chromium: signed in, the Results page shows the click and the orders.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${shop.app.url}/app/results?days=7`);
      await page.waitForURL(/\/auth\/login/);
      await page.getByLabel("Admin password").fill(shop.app.adminPassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/app/);
      await page.goto(`${shop.app.url}/app/results?days=7`);
      await page.getByRole("heading", { name: "Results", level: 1 }).waitFor();
      expect(await page.locator('[data-figure="orders"]').textContent()).toBe("2");
      expect(await page.locator('[data-figure="clicks"]').textContent()).toBe("1");
      expect((await page.locator('[data-figure="revenue"]').textContent())?.replace(/\D/g, "")).toBe(String(net));
      expect(await page.getByText("Funnel").isVisible()).toBe(true);
      expect(await page.getByRole("heading", { name: "Recovered by attribution rule" }).isVisible()).toBe(true);
      expect(await page.getByRole("img", { name: /^Recovered revenue: / }).isVisible()).toBe(true);
      expect(await page.getByRole("img", { name: "Clicks: 1" }).isVisible()).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
