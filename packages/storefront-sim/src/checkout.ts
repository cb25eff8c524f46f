import { createHmac, randomBytes, randomUUID } from "node:crypto";
import type { SimCart } from "./cart.ts";
import type { Exchange } from "./exchange.ts";
import { escapeHtml, layout, money, type PageContext } from "./pages.ts";
import { cartInput, readBody } from "./request.ts";
import { validEmail } from "./shopper-routes.ts";

/** Shopify gives up on a webhook endpoint that takes longer than this; so does the sim. */
const WEBHOOK_DEADLINE_MS = 10_000;

export interface PlacedOrder {
  id: number;
  totalMinor: number;
  currency: string;
  webhookStatus: number;
}

let sequence = 0;

/**
 * POST /checkout: a one-step checkout for the demo and tests. It pays for the cart as it is,
 * empties it, and tells the app what Shopify would: an `orders/create` webhook carrying the
 * cart's token, the buyer's email (and customer when logged in) and the lines, signed with the
 * app secret. The order page says whether the app accepted it.
 */
export async function serveCheckout(x: Exchange): Promise<boolean> {
  if (x.route !== "/checkout" || x.req.method !== "POST") return false;
  const form = await cartInput(x.req.headers["content-type"], await readBody(x.req), new URLSearchParams());
  const cart = x.cart;
  if (!cart || cart.lines.length === 0) {
    x.cartError(422, "Your cart is empty.");
    return true;
  }
  const email = x.customer?.email ?? form.email;
  if (!validEmail(email)) {
    x.cartError(422, "email: enter a valid email address.");
    return true;
  }
  const { options, shop } = x.sim;
  if (!options.appUrl || !options.appSecret) {
    x.send(503, "text/plain", "checkout needs appUrl and appSecret (the app the order webhook goes to)");
    return true;
  }
  const { order, totalMinor } = orderPayload(x, cart, email);
  const raw = JSON.stringify(order);
  const answer = await fetch(`${options.appUrl}/webhooks/orders`, {
    method: "POST",
    headers: orderWebhookHeaders(shop, options.appSecret, raw),
    body: raw,
    signal: AbortSignal.timeout(WEBHOOK_DEADLINE_MS),
  });
  x.sim.carts.clear(cart);
  const placed: PlacedOrder = { id: order.id, totalMinor, currency: x.sim.currency, webhookStatus: answer.status };
  x.html(200, orderPage(x.page(), placed, email));
  return true;
}

/** An `orders/create` body in Shopify's REST shape (the fields the app and most apps read). */
function orderPayload(x: Exchange, cart: SimCart, email: string) {
  const { carts, currency } = x.sim;
  const lines = cart.lines.map((_, i) => carts.lineJson(cart, i));
  const totalMinor = lines.reduce((sum, line) => sum + (line.line_price as number), 0);
  const decimal = (minor: number) => (minor / 100).toFixed(2);
  const now = new Date().toISOString();
  // Shopify order ids are large integers; unique per running sim.
  const id = Date.now() * 1000 + (sequence++ % 1000);
  const order = {
    id,
    name: `#${1000 + sequence}`,
    email,
    created_at: now,
    processed_at: now,
    currency,
    presentment_currency: currency,
    total_price: decimal(totalMinor),
    subtotal_price: decimal(totalMinor),
    financial_status: "paid",
    // The cart token without its key, as Shopify puts it on the order.
    cart_token: cart.token,
    checkout_token: randomBytes(16).toString("hex"),
    buyer_accepts_marketing: false,
    customer: x.customer ? { id: Number(x.customer.id), email: x.customer.email } : null,
    line_items: lines.map((line) => ({
      id: Number(randomBytes(5).readUIntBE(0, 5)),
      variant_id: line.variant_id,
      product_id: line.product_id,
      title: line.product_title,
      variant_title: line.variant_title,
      quantity: line.quantity,
      price: decimal(line.price as number),
      sku: line.sku,
    })),
  };
  return { order, totalMinor };
}

/** Shopify's webhook headers: base64 HMAC-SHA256 of the raw body with the app secret. */
export function orderWebhookHeaders(shop: string, secret: string, raw: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-shopify-topic": "orders/create",
    "x-shopify-shop-domain": shop,
    "x-shopify-webhook-id": randomUUID(),
    "x-shopify-hmac-sha256": createHmac("sha256", secret).update(raw).digest("base64"),
    "x-shopify-triggered-at": new Date().toISOString(),
    "x-shopify-api-version": "2025-10",
  };
}

function orderPage(ctx: PageContext, order: PlacedOrder, email: string): string {
  const delivered = order.webhookStatus < 300 ? "delivered" : `refused (${order.webhookStatus})`;
  return layout(
    ctx,
    "Thank you",
    `<h1>Thank you for your order</h1>
<p id="order-confirmation" data-order-id="${order.id}">Order ${order.id}: <span id="order-total">${money(order.totalMinor, order.currency)}</span>, confirmation to ${escapeHtml(email)}.</p>
<p id="order-webhook" data-status="${order.webhookStatus}">orders/create webhook ${delivered}.</p>`,
  );
}
