import { randomUUID } from "node:crypto";
import type { E2eVariant } from "./catalog.ts";

/**
 * Shopify webhook bodies (carts/*, checkouts/*, orders/*) trimmed to the fields Shopify always
 * sends, with ids as bare JSON numbers and prices as the store shows them.
 */
export interface Line {
  variant: E2eVariant;
  quantity: number;
}

export interface Shopper {
  customerId: number;
  email: string;
  consent: "subscribed" | "not_subscribed";
}

const money = (amount: string) => ({ presentment_money: { amount, currency_code: "USD" }, shop_money: { amount, currency_code: "USD" } });

function lineItems(lines: Line[]): string {
  return lines
    .map(({ variant, quantity }, i) => {
      const rest = JSON.stringify({ key: `${variant.id}:e2e${i}`, price: variant.price, price_set: money(variant.price), title: variant.productTitle, sku: null, properties: {}, gift_card: false });
      return `{"id":${700_000 + i},"variant_id":${variant.id},"product_id":${variant.id.slice(0, -2)},"quantity":${quantity},${rest.slice(1, -1)}}`;
    })
    .join(",");
}

const total = (lines: Line[]) => lines.reduce((n, l) => n + Number(l.variant.price) * l.quantity, 0).toFixed(2);

function customer(s: Shopper): string {
  const rest = JSON.stringify({ email: s.email, first_name: "Ana", last_name: null, state: "disabled", verified_email: true, email_marketing_consent: { state: s.consent, opt_in_level: "single_opt_in", consent_updated_at: null } });
  return `{"id":${s.customerId},${rest.slice(1)}`;
}

export function cartPayload(token: string, createdAt: string, updatedAt: string, lines: Line[]): string {
  return `{"id":"${token}","token":"${token}","line_items":[${lineItems(lines)}],"note":null,"created_at":"${createdAt}","updated_at":"${updatedAt}"}`;
}

export function checkoutPayload(token: string, cartToken: string, at: string, shopper: Shopper, lines: Line[]): string {
  const fields = JSON.stringify({
    token, cart_token: cartToken, email: shopper.email, created_at: at, updated_at: at, currency: "USD", presentment_currency: "USD",
    total_price: total(lines), buyer_accepts_marketing: shopper.consent === "subscribed", abandoned_checkout_url: `https://e2e.example/checkouts/${token}/recover`,
  });
  return `{"id":${shopper.customerId}1,${fields.slice(1, -1)},"line_items":[${lineItems(lines)}],"customer":${customer(shopper)}}`;
}

export function orderPayload(orderId: string, cartToken: string, checkoutToken: string, at: string, shopper: Shopper, lines: Line[]): string {
  const fields = JSON.stringify({
    email: shopper.email, contact_email: shopper.email, cart_token: cartToken, checkout_token: checkoutToken, created_at: at, processed_at: at,
    currency: "USD", presentment_currency: "USD", total_price: total(lines), financial_status: "paid", buyer_accepts_marketing: shopper.consent === "subscribed",
  });
  return `{"id":${orderId},${fields.slice(1, -1)},"line_items":[${lineItems(lines)}],"customer":${customer(shopper)}}`;
}

/** A new cart token in Shopify's shape. */
export const newCartToken = () => `c1${randomUUID().replaceAll("-", "")}`;

/** A shopper subscribed to marketing, with an address no other test uses. */
export const subscribedShopper = (name: string, customerId: number): Shopper => ({ customerId, email: `${name}.${randomUUID().slice(0, 8)}@example.com`, consent: "subscribed" });

/** What the lines cost, in cents. */
export const linesCents = (lines: Line[]) => lines.reduce((n, l) => n + Math.round(Number(l.variant.price) * 100) * l.quantity, 0);
