import { randomUUID } from "node:crypto";
import { availableDatabases, launchChromium, type WebhookDelivery } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook, type E2eShop, sleep, startE2eShop, waitForMailTo } from "./support/shop.ts";
import { cartPayload, checkoutPayload, type Line, orderPayload, type Shopper, linesCents, newCartToken } from "./support/webhooks.ts";

// A/B tests judged by money, from outside: the merchant adds a variant B (its own subject and a
// longer delay) to the step over HTTP, carts are abandoned until both variants have gone out,
// orders from some of the emailed checkouts are attributed and refunded (one refund before its
// order), and the Results page shows each variant's recipients, orders and net revenue, with
// no winner on so few recipients.

const B_SUBJECT = "Variant B: still thinking it over?";
const B_HTML = `<html><body><p>Your cart at {{ shop.name }}:</p>
{% for item in Catalog.Samplecatalog1 %}<p>{{ item.Name }} {{ item.Price }}</p>{% endfor %}
<p><a href="{{ recovery_url }}">Back to your cart</a></p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>`;

describe.each(availableDatabases())("A/B tests on %s", (database) => {
  let shop: E2eShop;
  let campaignId: string;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s" } });
    campaignId = /name="id" value="([^"]+)"/.exec((await shop.merchant.get("/app/campaigns")).html)![1]!;
  });
  afterAll(() => shop?.stop());

  const deliver = (delivery: WebhookDelivery) => deliverWebhook(shop, delivery);
  const now = () => new Date().toISOString();
  const token = newCartToken;
  const cents = linesCents;
  const saveVariant = (fields: Record<string, string>) =>
    shop.merchant.submit("/app/campaigns", { intent: "variant", id: campaignId, step: "0", variant: "on", "variant-template": "own", "variant-subject": B_SUBJECT, "variant-preheader": "", "variant-html": B_HTML, "variant-delay": "6s", "variant-percent": "50", ...fields });

  it("refuses a bad variant B naming the field, then saves it and reads it back", async () => {
    const bad = await saveVariant({ "variant-percent": "150" });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("steps.0.variantB.percent");
    const broken = await saveVariant({ "variant-html": "<p>{% for item in Catalog.Samplecatalog1 %}</p>" });
    expect(broken.status).toBe(400);
    expect(broken.html).toContain("steps.0.variantB.template.html");
    const saved = await saveVariant({});
    expect(saved.status).toBe(200);
    const page = (await shop.merchant.get("/app/campaigns")).html;
    const input = (name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(page)?.[0] ?? "";
    expect(input("variant-subject")).toContain(`value="${B_SUBJECT}"`);
    expect(input("variant-delay")).toContain('value="6s"');
    expect(input("variant-percent")).toContain('value="50"');
    // Saving the campaign's other settings keeps the step's variant B.
    await shop.merchant.configureCampaign({ steps: "3s" });
    expect((await shop.merchant.get("/app/campaigns")).html).toContain(`value="${B_SUBJECT}"`);
  });

  it("emails both variants, credits the orders, nets refunds that come before or after them and shows recipients, orders and net revenue per variant on the Results page", async () => {
    const [beanie, socks, , , mug] = shop.variants;
    const lines: Line[] = [{ variant: beanie!, quantity: 1 }, { variant: socks!, quantity: 2 }, { variant: mug!, quantity: 1 }];
    const sent: { shopper: Shopper; checkout: string; subject: string; late: boolean }[] = [];
    // Episodes are split by a hash of their random ids: abandon carts until both variants went out.
    for (let round = 0; round < 4 && new Set(sent.map((s) => s.subject === B_SUBJECT)).size < 2; round++) {
      const batch = await Promise.all(Array.from({ length: 6 }, async (_, i) => {
        const shopper: Shopper = { customerId: 94_000_000 + round * 10 + i, email: `ab${round}${i}.${randomUUID().slice(0, 8)}@example.com`, consent: "subscribed" };
        const cart = token();
        const at = Date.now();
        await deliver({ topic: "carts/create", raw: cartPayload(cart, now(), now(), lines) });
        await deliver({ topic: "checkouts/create", raw: checkoutPayload(`k${cart}`, cart, now(), shopper, lines) });
        const mail = await waitForMailTo(shop, shopper.email, 60_000);
        return { shopper, checkout: `k${cart}`, subject: String(mail.subject), late: (shop.app.mail.receivedAt(mail) ?? 0) - at >= 6_000 };
      }));
      sent.push(...batch);
    }
    const b = sent.filter((s) => s.subject === B_SUBJECT);
    const a = sent.filter((s) => s.subject !== B_SUBJECT);
    expect(b.length, "variant B was emailed").toBeGreaterThan(0);
    expect(a.length, "variant A was emailed").toBeGreaterThan(0);
    expect(a[0]!.subject).toMatch(/your cart at .* is waiting/);
    // Variant B's own delay (6 s after the last change) is never cut short.
    expect(b.every((s) => s.late)).toBe(true);

    // One A recipient and two B recipients (when there are two) order from the emailed checkout.
    // The A order is refunded $1.50 after it arrives; the first B order's $2.00 refund arrives
    // before its order (webhooks come in any order): each lands on its variant's revenue.
    const buyers = [a[0]!, ...b.slice(0, 2)];
    const orderIds = buyers.map((_, i) => String(Date.now() + i));
    const refund = (orderId: string, amount: string) =>
      JSON.stringify({ id: Number(orderId) + 1_000, order_id: Number(orderId), created_at: now(), transactions: [{ kind: "refund", status: "success", amount, currency: "USD" }] });
    await deliver({ topic: "refunds/create", raw: refund(orderIds[1]!, "2.00") });
    for (const [i, buyer] of buyers.entries()) {
      await deliver({ topic: "orders/create", raw: orderPayload(orderIds[i]!, token(), buyer.checkout, now(), buyer.shopper, lines) });
    }
    await deliver({ topic: "refunds/create", raw: refund(orderIds[0]!, "1.50") });
    const bOrders = Math.min(2, b.length);
    const aRevenue = String(cents(lines) - 150);
    const bRevenue = String(bOrders * cents(lines) - 200);

    // The sent status follows the relay's answer: poll until every send is counted.
    const cell = (html: string, variant: string, metric: string) => new RegExp(`data-ab-cell="${campaignId}:0:${variant}:${metric}">([^<]*)<`).exec(html)?.[1];
    let html = "";
    for (let tries = 0; tries < 40; tries++) {
      const page = await shop.merchant.get("/app/results?days=7");
      expect(page.status).toBe(200);
      html = page.html;
      const money = cell(html, "A", "revenue")?.replace(/\D/g, "") === aRevenue && cell(html, "B", "revenue")?.replace(/\D/g, "") === bRevenue;
      if (cell(html, "A", "recipients") === String(a.length) && cell(html, "B", "recipients") === String(b.length) && cell(html, "B", "orders") === String(bOrders) && money) break;
      await sleep(500);
    }
    expect(cell(html, "A", "recipients")).toBe(String(a.length));
    expect(cell(html, "B", "recipients")).toBe(String(b.length));
    expect(cell(html, "A", "orders")).toBe("1");
    expect(cell(html, "B", "orders")).toBe(String(bOrders));
    // Printed in the shop's money format: its digits are the minor units.
    expect(cell(html, "A", "revenue")?.replace(/\D/g, "")).toBe(aRevenue);
    expect(cell(html, "B", "revenue")?.replace(/\D/g, "")).toBe(bRevenue);
    expect(new RegExp(`data-ab-verdict="${campaignId}:0">No winner yet.<`).test(html)).toBe(true);
  });

  it("previews variant B's email as it is on screen in Chromium", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${shop.app.url}/app/campaigns`);
      await page.waitForURL(/\/auth\/login/);
      await page.getByLabel("Admin password").fill(shop.app.adminPassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/app/);
      await page.goto(`${shop.app.url}/app/campaigns`);
      await page.getByLabel("Variant B subject").fill("Edited B {{ shop.name }}");
      await page.getByRole("button", { name: "Preview variant B" }).click();
      await page.getByText(/^Subject: Edited B /).waitFor({ timeout: 30_000 });
      expect(await page.getByTitle("Step 1 variant B preview").count()).toBe(1);
    } finally {
      await browser.close();
    }
  });
});
