import { isCurrencyCode } from "../money.ts";
import { DECIMAL_PATTERN, EMAIL_PATTERN, PHONE_PATTERN } from "./fields.ts";
import type { WireEvent } from "./wire.ts";

/**
 * Shopify webhook payloads → wire events. Bodies must be parsed with `parseJsonLossless`
 * (ids above 2^53 arrive as JSON numbers). Event ids are derived from content, not from
 * the delivery: carts/create and carts/update for one state share an id, orders/create and
 * orders/paid both say "order N was charged" — duplicates the store drops.
 */
export const CART_TOPICS = ["carts/create", "carts/update"] as const;
export const CHECKOUT_TOPICS = ["checkouts/create", "checkouts/update"] as const;
export const ORDER_TOPICS = ["orders/create", "orders/paid"] as const;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const present = (v: unknown): v is string | number => (typeof v === "string" && v.trim() !== "") || typeof v === "number";
const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

/**
 * `ignored`: a valid delivery with nothing to apply, and why (answered 200, so Shopify does not
 * retry what can never apply).
 */
export type WebhookTranslation = { type: "ok"; events: WireEvent[]; ignored?: string } | { type: "invalid"; field: string; reason: string };

export interface WebhookContext {
  /** The shop's currency, for carts whose lines carry no price set. */
  shopCurrency: string;
}

/*
 * What rides along with a purchase (amounts, currency, the buyer's address) is passed on only
 * when the events API would take it: a value it refuses would reject the whole Charged, and a
 * delivery answered 200 without its purchase could let that buyer be mailed. An amount that is
 * not one is left out (revenue then counts the order as of unknown value); the purchase stays.
 */
const amount = (v: unknown): string | undefined => {
  const written = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
  return DECIMAL_PATTERN.test(written) ? written : undefined;
};
const currencyCode = (v: unknown): string | undefined => {
  const code = text(v)?.toUpperCase();
  return code && isCurrencyCode(code) ? code : undefined;
};
const quantity = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined);

/** Shopify's REST timestamps sometimes use a space for the date/time separator. */
function isoTime(value: unknown): string | undefined {
  const t = text(value);
  return t ? t.replace(" ", "T") : undefined;
}

/**
 * `money`: which side of a line's price set its `price` is in. An order line's `price` is the
 * shop's money (price_set.shop_money); cart and checkout lines are labelled as the shopper saw them.
 */
function lines(items: unknown[], currency: string | undefined, money: "presentment_money" | "shop_money" = "presentment_money") {
  return items
    .map(obj)
    .filter((l) => present(l.variant_id) && quantity(l.quantity) !== undefined)
    .map((l) => {
      const label = currencyCode(obj(obj(l.price_set)[money]).currency_code) ?? currency;
      const price = amount(l.price);
      return {
        variantId: l.variant_id as string | number,
        quantity: l.quantity as number,
        // A price without its currency means nothing (the events API refuses it): left out.
        ...(price && label ? { price } : {}),
        ...(label ? { currency: label } : {}),
        title: text(l.title) ?? null,
        productId: present(l.product_id) ? (l.product_id as string | number) : null,
        sku: text(l.sku) ?? null,
      };
    });
}

export function fromCartWebhook(payload: unknown, context: WebhookContext): WebhookTranslation {
  const cart = obj(payload);
  const token = text(cart.token) ?? text(cart.id);
  if (!token) return { type: "invalid", field: "token", reason: "a cart webhook needs its token" };
  const at = isoTime(cart.updated_at) ?? isoTime(cart.created_at);
  if (!at) return { type: "invalid", field: "updated_at", reason: "a cart webhook needs updated_at" };
  // A snapshot replaces the cart: lines it cannot read must refuse it, not empty the cart.
  if (!Array.isArray(cart.line_items)) return { type: "invalid", field: "line_items", reason: "a cart webhook needs line_items, a list of lines" };
  const bad = cart.line_items.findIndex((l) => !present(obj(l).variant_id) || quantity(obj(l).quantity) === undefined);
  if (bad >= 0) return { type: "invalid", field: `line_items[${bad}]`, reason: "a cart line needs its variant_id and a whole quantity" };
  return {
    type: "ok",
    events: [{ id: `cart:${token}:${at}`, name: "Cart Snapshot", occurredAt: at, cartToken: token, lines: lines(cart.line_items, currencyCode(context.shopCurrency)) } as WireEvent],
  };
}

/** An address the events API takes, or none (a malformed one names nobody we could mail). */
const emailOf = (v: unknown): string | undefined => {
  const t = text(v);
  return t && t.length <= 254 && EMAIL_PATTERN.test(t.toLowerCase()) ? t : undefined;
};
const phoneOf = (v: unknown): string | undefined => {
  const t = text(v);
  return t && PHONE_PATTERN.test(t) ? t : undefined;
};

function identity(record: Json) {
  const customer = obj(record.customer);
  const email = emailOf(record.email) ?? emailOf(record.contact_email) ?? emailOf(customer.email);
  const phone = phoneOf(record.phone) ?? phoneOf(customer.phone);
  return {
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...(present(customer.id) ? { customerId: customer.id as string | number } : {}),
  };
}

const CONSENT = new Set(["subscribed", "not_subscribed", "pending", "unsubscribed", "redacted", "invalid"]);

/** Names and marketing consent ride along as an Identify when the payload has a customer. */
function identifyFrom(id: string, at: string, record: Json, tokens: Json): WireEvent[] {
  const customer = obj(record.customer);
  const ids = identity(record);
  if (!ids.email && !ids.customerId && !ids.phone) return [];
  const state = text(obj(customer.email_marketing_consent).state)?.toLowerCase();
  return [
    {
      id,
      name: "Identify",
      occurredAt: at,
      ...tokens,
      ...ids,
      via: "checkout",
      ...(text(customer.first_name) ? { firstName: text(customer.first_name) } : {}),
      ...(text(customer.last_name) ? { lastName: text(customer.last_name) } : {}),
      ...(state && CONSENT.has(state) ? { marketingConsent: state } : {}),
    } as WireEvent,
  ];
}

export function fromCheckoutWebhook(payload: unknown): WebhookTranslation {
  const checkout = obj(payload);
  const token = text(checkout.token);
  if (!token) return { type: "invalid", field: "token", reason: "a checkout webhook needs its token" };
  const at = isoTime(checkout.updated_at) ?? isoTime(checkout.created_at);
  if (!at) return { type: "invalid", field: "updated_at", reason: "a checkout webhook needs updated_at" };
  const currency = currencyCode(checkout.presentment_currency) ?? currencyCode(checkout.currency);
  const total = amount(checkout.total_price);
  const tokens = { checkoutToken: token, ...(text(checkout.cart_token) ? { cartToken: text(checkout.cart_token) } : {}) };
  const started = {
    id: `checkout:${token}:${at}`,
    name: "Checkout Started",
    occurredAt: at,
    ...tokens,
    ...identity(checkout),
    ...(currency ? { currency } : {}),
    ...(total && currency ? { total } : {}),
    ...(typeof checkout.buyer_accepts_marketing === "boolean" ? { acceptsMarketing: checkout.buyer_accepts_marketing } : {}),
    lines: lines(arr(checkout.line_items), currency),
  } as WireEvent;
  return { type: "ok", events: [started, ...identifyFrom(`checkout-identify:${token}:${at}`, at, checkout, tokens)] };
}

export function fromOrderWebhook(payload: unknown): WebhookTranslation {
  const order = obj(payload);
  if (!present(order.id)) return { type: "invalid", field: "id", reason: "an order webhook needs its id" };
  const at = isoTime(order.created_at) ?? isoTime(order.processed_at) ?? isoTime(order.updated_at);
  if (!at) return { type: "invalid", field: "created_at", reason: "an order webhook needs created_at" };
  const id = String(order.id);
  const currency = currencyCode(order.presentment_currency) ?? currencyCode(order.currency);
  // The order's total in the shop's money (what revenue sums): total_price_set.shop_money, or
  // total_price with `currency` (both the shop's, whatever the shopper paid in).
  const shopMoney = obj(obj(order.total_price_set).shop_money);
  const [rawTotal, totalCurrency] = present(shopMoney.amount)
    ? [shopMoney.amount, currencyCode(shopMoney.currency_code) ?? currencyCode(order.currency)]
    : [order.total_price, currencyCode(order.currency) ?? currency];
  const total = amount(rawTotal);
  const tokens = {
    ...(text(order.cart_token) ? { cartToken: text(order.cart_token) } : {}),
    ...(text(order.checkout_token) ? { checkoutToken: text(order.checkout_token) } : {}),
  };
  const buyer = identity(order);
  // A POS sale or a draft order paid without a customer: nothing links it to a cart or a shopper.
  if (Object.keys(tokens).length === 0 && Object.keys(buyer).length === 0) {
    return { type: "ok", events: [], ignored: "the order names no cart, checkout or customer: nothing to end" };
  }
  const charged = {
    id: `order:${id}`,
    name: "Charged",
    occurredAt: at,
    orderId: order.id as string | number,
    ...tokens,
    ...buyer,
    ...(totalCurrency ? { currency: totalCurrency } : {}),
    ...(total && totalCurrency ? { total } : {}),
    ...(typeof order.buyer_accepts_marketing === "boolean" ? { acceptsMarketing: order.buyer_accepts_marketing } : {}),
    ...discountCodesOf(order),
    lines: lines(arr(order.line_items), currencyCode(order.currency) ?? currency, "shop_money"),
  } as WireEvent;
  return { type: "ok", events: [charged, ...identifyFrom(`order-identify:${id}`, at, order, tokens)] };
}

/** `discount_codes[].code` of an order (at most 50, as the events API takes): attribution by code. */
function discountCodesOf(order: Record<string, unknown>): { discountCodes?: string[] } {
  const codes = arr(order.discount_codes)
    .map((d) => text(obj(d).code))
    .filter((c): c is string => typeof c === "string" && c.length > 0 && c.length <= 255)
    .slice(0, 50);
  return codes.length > 0 ? { discountCodes: codes } : {};
}
