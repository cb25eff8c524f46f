import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningStorefront, startStorefront } from "./server.ts";

const PRODUCTS = path.resolve(import.meta.dirname, "../../../fixtures/shopify/generated/storefront-products.json");

let shop: RunningStorefront;
let variantA = "";
let variantB = "";

beforeAll(async () => {
  shop = await startStorefront({ productsFile: PRODUCTS, currency: "INR", customers: [{ id: "7000000001", email: "a@example.com" }] });
  const variants = shop.catalog.products.flatMap((p) => p.variants.filter((v) => v.available));
  variantA = variants[0]!.id;
  variantB = variants[5]!.id;
});
afterAll(() => shop.close());

/** A shopper with a cookie jar. */
function shopper() {
  let cookie = "";
  return async (pathname: string, init: RequestInit = {}) => {
    const response = await fetch(`${shop.url}${pathname}`, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie } });
    const set = response.headers.get("set-cookie");
    if (set) cookie = [cookie, set.split(";")[0]].filter(Boolean).join("; ");
    return response;
  };
}
const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("storefront simulator: Ajax Cart API", () => {
  it("answers /cart.js in Shopify's shape: c1- token with ?key=, integer minor units", async () => {
    const get = shopper();
    await get("/cart/add.js", json({ items: [{ id: Number(variantA), quantity: 2 }] }));
    const cart = await (await get("/cart.js")).json();
    expect(cart.token).toMatch(/^c1-[0-9a-f]{32}\?key=[0-9a-f]{32}$/);
    expect(cart.item_count).toBe(2);
    expect(cart.items[0]).toMatchObject({ id: Number(variantA), variant_id: Number(variantA), quantity: 2, price: 2900, line_price: 5800 });
    expect(Number.isInteger(cart.total_price)).toBe(true);
    expect(cart.currency).toBe("INR");
  });

  it("answers 422 Cart Error for an unknown variant and changes nothing", async () => {
    const get = shopper();
    const response = await get("/cart/add.js", json({ id: "123", quantity: 1 }));
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ status: 422, message: "Cart Error", description: "Cannot find variant" });
    expect((await (await get("/cart.js")).json()).items).toEqual([]);
  });

  it("changes by line and by key, updates, clears; a form post redirects to /cart", async () => {
    const get = shopper();
    const form = await get("/cart/add", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `id=${variantA}&quantity=1` });
    expect(form.status).toBe(302);
    expect(form.headers.get("location")).toBe("/cart");
    await get("/cart/add.js", json({ id: variantB, quantity: 1 }));
    let cart = await (await get("/cart/change.js", json({ line: 1, quantity: 4 }))).json();
    expect(cart.items.map((i: { quantity: number }) => i.quantity)).toEqual([4, 1]);
    cart = await (await get("/cart/change.js", json({ id: cart.items[1].key, quantity: 0 }))).json();
    expect(cart.items).toHaveLength(1);
    cart = await (await get("/cart/update.js", json({ updates: { [variantB]: 3 } }))).json();
    expect(cart.item_count).toBe(7);
    expect((await get("/cart/change.js", json({ line: 9, quantity: 1 }))).status).toBe(400);
    cart = await (await get("/cart/clear.js", { method: "POST" })).json();
    expect(cart.items).toEqual([]);
  });

  it("serves the cart API under a locale prefix too", async () => {
    const get = shopper();
    const added = await get("/fr/cart/add.js", json({ id: variantA, quantity: 1 }));
    expect(added.status).toBe(200);
    expect((await (await get("/fr/cart.js")).json()).item_count).toBe(1);
  });

  it("renders the real app embed block with the logged-in customer and the cart", async () => {
    const get = shopper();
    await get("/cart/add.js", json({ id: variantA, quantity: 2 }));
    const guest = await (await get("/")).text();
    const guestConfig = JSON.parse(/<script id="cartback-config" type="application\/json">([\s\S]*?)<\/script>/.exec(guest)![1]!);
    expect(guestConfig).toMatchObject({ shop: "cartback-demo.myshopify.com", endpoint: "/apps/cartback/events", customer: null });
    expect(guestConfig.cart.items).toEqual([[Number(variantA), 2]]);
    expect(guest).toContain('<script src="/cdn/cartback.js" defer></script>');
    expect(guest).not.toContain("schema");
    await get("/account/login?customer=7000000001");
    const member = await (await get("/")).text();
    const memberConfig = JSON.parse(/<script id="cartback-config" type="application\/json">([\s\S]*?)<\/script>/.exec(member)![1]!);
    expect(memberConfig.customer).toEqual({ id: 7000000001, email: "a@example.com" });
  });
});

describe("storefront simulator: what a shopper does beyond the cart API", () => {
  const config = (html: string) => JSON.parse(/<script id="cartback-config" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!);

  it("logs a shopper in by email through the login form, the same id for the same email, and refuses a bad email with 422", async () => {
    const get = shopper();
    expect(await (await get("/account/login")).text()).toContain('name="customer[email]"');
    const form = (email: string): RequestInit => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `form_type=customer_login&customer%5Bemail%5D=${encodeURIComponent(email)}` });
    expect((await get("/account/login", form("not-an-email"))).status).toBe(422);
    const login = await get("/account/login", form("Shopper@Example.com"));
    expect(login.status).toBe(302);
    const customer = config(await (await get("/")).text()).customer;
    expect(customer).toMatchObject({ email: "shopper@example.com" });
    expect(String(customer.id)).toMatch(/^\d{13}$/);
    const again = shopper();
    await again("/account/login", form("shopper@example.com"));
    expect(config(await (await again("/")).text()).customer.id).toBe(customer.id);
  });

  it("rebuilds a cart from a permalink /cart/<variant>:<qty>,… replacing the current one, landing on /cart with the query kept", async () => {
    const get = shopper();
    await get("/cart/add.js", json({ id: variantB, quantity: 5 }));
    const landing = await get(`/cart/${variantA}:2,${variantB}:1?storefront=true&cartback_token=s1`);
    expect(landing.status).toBe(302);
    expect(landing.headers.get("location")).toBe("/cart?storefront=true&cartback_token=s1");
    const cart = await (await get("/cart.js")).json();
    expect(cart.items.map((i: { variant_id: number; quantity: number }) => [String(i.variant_id), i.quantity])).toEqual([[variantA, 2], [variantB, 1]]);
    expect((await get("/cart/123:1")).status).toBe(422);
  });

  it("serves product images itself (no network) and 404s for unknown ones", async () => {
    const handle = shop.catalog.products[0]!.handle;
    const image = await fetch(`${shop.url}/cdn/images/${handle}.svg`);
    expect(image.headers.get("content-type")).toBe("image/svg+xml");
    expect(await image.text()).toContain(shop.catalog.products[0]!.title);
    expect((await fetch(`${shop.url}/cdn/images/nope.svg`)).status).toBe(404);
  });
});
