import type { RevenueJourney, SimOrder } from "./revenue-journeys.ts";
import { PRICE_MINOR } from "./revenue-journeys.ts";

/**
 * Shopify's payloads for a revenue journey's order and refund, shaped like the documented
 * ones: `currency` and `total_price` are the shop's money, `presentment_currency` what the
 * shopper paid in, each `*_set` carrying both. Ids are bare JSON numbers.
 */
const SHOP_CURRENCY = "USD";
const decimal = (minor: number) => (minor / 100).toFixed(2);
const moneySet = (shopMinor: number, presentment: { currency: string; minor: number }) => ({
  shop_money: { amount: decimal(shopMinor), currency_code: SHOP_CURRENCY },
  presentment_money: { amount: decimal(presentment.minor), currency_code: presentment.currency },
});

/** The shop's own public code, which no email carried: an order with it is not credited by code. */
export const PUBLIC_CODE = "WELCOME10";

export function orderPayload(j: RevenueJourney, order: SimOrder, at: string, extra: Record<string, unknown> = {}, code: string | null = null): string {
  const rate = order.presentment.minor / order.shopMinor;
  const lineItems = j.lines.map((l, i) => {
    const presentment = { currency: order.presentment.currency, minor: Math.round(PRICE_MINOR * rate) };
    const fields = JSON.stringify({ price: decimal(PRICE_MINOR), price_set: moneySet(PRICE_MINOR, presentment), title: "Sim board", sku: `sim-${l.variantId}`, gift_card: false });
    return `{"id":${80_000 + i},"variant_id":${l.variantId},"product_id":${l.variantId}0,"quantity":${l.quantity},${fields.slice(1, -1)}}`;
  });
  const fields = JSON.stringify({
    email: j.email, contact_email: j.email, cart_token: order.cartToken, checkout_token: `chk-${order.cartToken}`, created_at: at, processed_at: at,
    currency: SHOP_CURRENCY, presentment_currency: order.presentment.currency,
    total_price: decimal(order.shopMinor), total_price_set: moneySet(order.shopMinor, order.presentment),
    financial_status: "paid", buyer_accepts_marketing: true,
    discount_codes: code ? [{ code, amount: "1.00", type: "fixed_amount" }] : [], ...extra,
  });
  const customer = `{"id":${8_000_000 + j.index},"email":"${j.email}","first_name":"Sim","last_name":null,"state":"disabled","verified_email":true}`;
  return `{"id":${order.orderId},${fields.slice(1, -1)},"line_items":[${lineItems.join(",")}],"customer":${customer}}`;
}

function refund(order: SimOrder, at: string) {
  const r = order.refund!;
  const presentmentMinor = Math.round((r.minor * order.presentment.minor) / order.shopMinor);
  return {
    created_at: at,
    transactions: [
      // The transaction's own amount is in the presentment currency: only amount_set.shop_money is the shop's.
      { kind: "refund", status: "success", amount: decimal(presentmentMinor), currency: order.presentment.currency, amount_set: moneySet(r.minor, { currency: order.presentment.currency, minor: presentmentMinor }) },
      { kind: "refund", status: "failure", amount: "1.00", currency: order.presentment.currency },
    ],
  };
}

/** refunds/create, or the order again as orders/updated with its `refunds`. */
export function refundPayload(j: RevenueJourney, order: SimOrder, orderAt: string, at: string): string {
  const r = order.refund!;
  const body = refund(order, at);
  if (r.topic === "refunds/create") return `{"id":${r.refundId},"order_id":${order.orderId},${JSON.stringify(body).slice(1)}`;
  return orderPayload(j, order, orderAt, { updated_at: at, refunds: [] }).replace('"refunds":[]', `"refunds":[{"id":${r.refundId},"order_id":${order.orderId},${JSON.stringify(body).slice(1)}]`);
}
