/**
 * Shopify webhook payloads for simulated events, shaped like Shopify's documented payloads
 * (as in fixtures/shopify/generated/webhooks; trimmed to the fields Shopify always sends):
 * carts/update is a snapshot of one cart token, checkouts/update names the shopper (email,
 * customer, consent), orders/create reports the purchase. Ids are bare JSON numbers, as
 * Shopify sends them.
 */
export type WebhookRoute = "carts" | "checkouts" | "orders";

export interface WebhookDelivery {
  route: WebhookRoute;
  /** The topic of the first delivery; a re-send under a new webhook id uses the other one. */
  topics: [string, string];
  raw: string;
}

export interface SimLine {
  variantId: string;
  quantity: number;
}

const money = (amount: string) => ({ presentment_money: { amount, currency_code: "USD" }, shop_money: { amount, currency_code: "USD" } });

function lineItems(lines: SimLine[]): string {
  return lines
    .map((l, i) => {
      const rest = JSON.stringify({ key: `${l.variantId}:sim${i}`, price: "25.00", price_set: money("25.00"), title: "Sim board", sku: `sim-${l.variantId}`, properties: {}, gift_card: false });
      return `{"id":${90_000 + i},"variant_id":${l.variantId},"product_id":${l.variantId}0,"quantity":${l.quantity},${rest.slice(1, -1)}}`;
    })
    .join(",");
}

const total = (lines: SimLine[]) => (lines.reduce((n, l) => n + l.quantity, 0) * 25).toFixed(2);

export function cartWebhook(token: string, createdAt: string, updatedAt: string, lines: SimLine[]): WebhookDelivery {
  const raw = `{"id":"${token}","token":"${token}","line_items":[${lineItems(lines)}],"note":null,"created_at":"${createdAt}","updated_at":"${updatedAt}"}`;
  return { route: "carts", topics: ["carts/update", "carts/create"], raw };
}

export interface Shopper {
  customerId: number;
  email: string;
  consent: "subscribed" | "not_subscribed";
}

function customer(s: Shopper): string {
  return JSON.stringify({ email: s.email, first_name: "Sim", last_name: null, state: "disabled", verified_email: true, email_marketing_consent: { state: s.consent, opt_in_level: "single_opt_in", consent_updated_at: null } })
    .replace("{", `{"id":${s.customerId},`);
}

export function checkoutWebhook(token: string, cartToken: string, at: string, shopper: Shopper, lines: SimLine[]): WebhookDelivery {
  const fields = JSON.stringify({
    token, cart_token: cartToken, email: shopper.email, created_at: at, updated_at: at, currency: "USD", presentment_currency: "USD",
    total_price: total(lines), buyer_accepts_marketing: shopper.consent === "subscribed", abandoned_checkout_url: `https://sim.example/checkouts/${token}/recover`,
  });
  const raw = `{"id":${shopper.customerId}1,${fields.slice(1, -1)},"line_items":[${lineItems(lines)}],"customer":${customer(shopper)}}`;
  return { route: "checkouts", topics: ["checkouts/update", "checkouts/create"], raw };
}

export function orderWebhook(orderId: string, cartToken: string, checkoutToken: string, at: string, shopper: Shopper): WebhookDelivery {
  const fields = JSON.stringify({
    email: shopper.email, contact_email: shopper.email, cart_token: cartToken, checkout_token: checkoutToken, created_at: at, processed_at: at,
    currency: "USD", presentment_currency: "USD", total_price: "25.00", financial_status: "paid", buyer_accepts_marketing: shopper.consent === "subscribed",
  });
  const raw = `{"id":${orderId},${fields.slice(1, -1)},"line_items":[],"customer":${customer(shopper)}}`;
  // orders/paid reports the same order again: the same content id.
  return { route: "orders", topics: ["orders/create", "orders/paid"], raw };
}
