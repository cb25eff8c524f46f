import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBody } from "./request.ts";
import { type RunningStorefront, startStorefront } from "./server.ts";

// The sim's checkout tells the app what Shopify would: a signed orders/create webhook. Here
// the "app" is a plain HTTP receiver that records each delivery and answers as told.
const PRODUCTS = path.resolve(import.meta.dirname, "../../../fixtures/shopify/generated/storefront-products.json");
const SECRET = "checkout-test-secret";
const received: Array<{ url: string; headers: Record<string, string | string[] | undefined>; raw: string }> = [];
let answer = 200;
let receiver: Server;
let shop: RunningStorefront;
let variant = "";

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    received.push({ url: req.url ?? "", headers: req.headers, raw: (await readBody(req)).toString("utf8") });
    res.writeHead(answer).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const appUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  shop = await startStorefront({ productsFile: PRODUCTS, currency: "EUR", appUrl, appSecret: SECRET, customers: [{ id: "7000000001", email: "known@example.com" }] });
  variant = shop.catalog.products.flatMap((p) => p.variants.filter((v) => v.available))[0]!.id;
});
afterAll(async () => {
  await shop.close();
  await new Promise((resolve) => receiver.close(resolve));
});

function shopper() {
  let cookie = "";
  return async (pathname: string, init: RequestInit = {}) => {
    const response = await fetch(`${shop.url}${pathname}`, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie } });
    for (const set of response.headers.getSetCookie()) cookie = [cookie, set.split(";")[0]].filter(Boolean).join("; ");
    return response;
  };
}
const form = (fields: Record<string, string>): RequestInit => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });

describe("storefront simulator: checkout", () => {
  it("sends a signed orders/create with the cart's token, lines, total and the buyer's email, then empties the cart", async () => {
    const get = shopper();
    await get("/cart/add.js", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: Number(variant), quantity: 3 }) });
    const cart = await (await get("/cart.js")).json();
    expect(await (await get("/cart")).text()).toContain('id="checkout-form"');
    const page = await get("/checkout", form({ email: "guest@example.com" }));
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/id="order-webhook" data-status="200"/);
    const delivery = received.at(-1)!;
    expect(delivery.url).toBe("/webhooks/orders");
    expect(delivery.headers["x-shopify-topic"]).toBe("orders/create");
    expect(delivery.headers["x-shopify-hmac-sha256"]).toBe(createHmac("sha256", SECRET).update(delivery.raw).digest("base64"));
    const order = JSON.parse(delivery.raw);
    expect(order).toMatchObject({ email: "guest@example.com", currency: "EUR", cart_token: cart.token.split("?")[0], customer: null, total_price: (cart.total_price / 100).toFixed(2) });
    expect(order.line_items).toEqual([expect.objectContaining({ variant_id: Number(variant), quantity: 3 })]);
    expect((await (await get("/cart.js")).json()).items).toEqual([]);
  });

  it("names the logged-in customer on the order", async () => {
    const get = shopper();
    await get("/account/login?customer=7000000001");
    await get("/cart/add.js", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: Number(variant), quantity: 1 }) });
    await get("/checkout", form({}));
    expect(JSON.parse(received.at(-1)!.raw)).toMatchObject({ email: "known@example.com", customer: { id: 7000000001, email: "known@example.com" } });
  });

  it("refuses an empty cart or a missing email with 422 and sends nothing; says so when the app refuses the order", async () => {
    const before = received.length;
    const get = shopper();
    expect((await get("/checkout", form({ email: "a@example.com" }))).status).toBe(422);
    await get("/cart/add.js", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: Number(variant), quantity: 1 }) });
    const noEmail = await get("/checkout", form({ email: "not-an-email" }));
    expect(noEmail.status).toBe(422);
    expect(await noEmail.text()).toContain("email");
    expect(received.length).toBe(before);
    answer = 401;
    expect(await (await get("/checkout", form({ email: "a@example.com" }))).text()).toContain("refused (401)");
    answer = 200;
  });
});
