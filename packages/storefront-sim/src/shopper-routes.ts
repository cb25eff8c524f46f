import { createHash } from "node:crypto";
import type { CartStore, SimCart } from "./cart.ts";
import type { Catalog } from "./catalog.ts";
import { DEMO_PRODUCTS, handleFor, productImageSvg } from "./demo-catalog.ts";
import { escapeHtml, layout, type PageContext } from "./pages.ts";

/**
 * What a shopper does beyond the Ajax Cart API: log in with an email (the classic customer
 * login form), follow a cart permalink, and load product images served by the sim itself.
 */
export type Customer = { id: string; email: string };

export function loginPage(ctx: PageContext, error: string | null = null): string {
  return layout(
    ctx,
    "Log in",
    `<h1>Log in</h1>${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${ctx.root}account/login" id="customer_login">
  <input type="hidden" name="form_type" value="customer_login">
  <label>Email <input type="email" name="customer[email]" id="CustomerEmail" autocomplete="email" required></label>
  <label>Password <input type="password" name="customer[password]" id="CustomerPassword" autocomplete="current-password"></label>
  <label><input type="checkbox" name="customer[accepts_marketing]" id="AcceptsMarketing" value="true" checked> Email me news and reminders</label>
  <button type="submit" id="login-submit">Sign in</button>
</form><p>Demo store: any email signs in; no password is checked.</p>`,
  );
}

/** A customer id for an email, stable across restarts (Shopify ids are 13-digit numbers). */
export function customerFor(customers: Map<string, Customer>, email: string): Customer {
  const normalized = email.trim().toLowerCase();
  for (const customer of customers.values()) if (customer.email.toLowerCase() === normalized) return customer;
  const digits = BigInt(`0x${createHash("sha256").update(normalized).digest("hex").slice(0, 12)}`) % 9_000_000_000_000n;
  const customer = { id: String(1_000_000_000_000n + digits), email: normalized };
  customers.set(customer.id, customer);
  return customer;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validEmail(value: unknown): value is string {
  return typeof value === "string" && value.length <= 254 && EMAIL.test(value.trim());
}

/**
 * Shopify's cart permalink `/cart/<variant>:<qty>,…`: a fresh cart holding exactly these
 * lines (the shopper's current cart is replaced, as Shopify does).
 */
export function cartFromPermalink(carts: CartStore, spec: string): { type: "ok"; cart: SimCart } | { type: "error"; description: string } {
  const items = spec.split(",").map((part) => {
    const [id = "", quantity = "1"] = part.split(":");
    return { id, quantity: Number(quantity) };
  });
  const cart = carts.create();
  const added = carts.add(cart, items);
  if (added.type === "error") return { type: "error", description: added.description };
  return { type: "ok", cart };
}

/** The picture of a product, drawn: the demo's colours, else a colour from the handle. */
export function productImage(catalog: Catalog, file: string): string | null {
  const handle = file.replace(/\.svg$/, "");
  const product = catalog.byHandle.get(handle);
  if (!product) return null;
  const spec = DEMO_PRODUCTS.find((p) => handleFor(p.title) === handle);
  const hue = Number.parseInt(createHash("sha1").update(handle).digest("hex").slice(0, 4), 16) % 360;
  return productImageSvg(product.title, spec?.colour ?? `hsl(${hue} 45% 55%)`);
}
