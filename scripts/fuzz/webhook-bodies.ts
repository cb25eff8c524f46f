import fc from "fast-check";
import { hostileValue, mutateField } from "./values.ts";

// Minimal payloads in the shape Shopify sends per topic (SHOPIFY_NOTES.md), then one field made
// hostile: the fuzzer wants signed bodies that get past the HMAC into each handler's parsing.

const line = { variant_id: 2, product_id: 1, quantity: 1, price: "19.99", title: "Beanie", sku: "B-1" };
const customer = { id: 7001, email: "fuzz.buyer@example.com", first_name: "Fuzz", accepts_marketing: true, email_marketing_consent: { state: "subscribed" } };

const TEMPLATES: Record<string, (shop: string) => Record<string, unknown>> = {
  carts: () => ({ id: "c1-fuzz", token: "c1-fuzz", line_items: [line], updated_at: new Date().toISOString(), created_at: new Date().toISOString() }),
  checkouts: () => ({ id: 501, token: "ck-fuzz", cart_token: "c1-fuzz", email: "fuzz.buyer@example.com", line_items: [line], customer, currency: "USD", total_price: "19.99", abandoned_checkout_url: "https://example.com/r", updated_at: new Date().toISOString(), completed_at: null, buyer_accepts_marketing: true }),
  orders: () => ({ id: 9001, name: "#1001", email: "fuzz.buyer@example.com", cart_token: "c1-fuzz", checkout_token: "ck-fuzz", line_items: [line], customer, currency: "USD", total_price: "19.99", created_at: new Date().toISOString(), financial_status: "paid" }),
  products: () => ({ id: 1, admin_graphql_api_id: "gid://shopify/Product/1", title: "Beanie", handle: "beanie", status: "active", variants: [{ id: 2, admin_graphql_api_id: "gid://shopify/ProductVariant/2", price: "19.99", sku: "B-1", title: "Default", inventory_quantity: 3 }], images: [], updated_at: new Date().toISOString() }),
  compliance: (shop) => ({ shop_id: 1, shop_domain: shop, customer: { id: 7001, email: "fuzz.buyer@example.com", phone: null }, orders_requested: [9001], orders_to_redact: [9001], data_request: { id: 1 } }),
  app: (shop) => ({ id: 1, name: "Fuzz", domain: "fuzz.example", myshopify_domain: shop }),
  shop: (shop) => ({ id: 1, name: "Fuzz", email: "owner@example.com", customer_email: "owner@example.com", domain: "fuzz.example", currency: "USD", iana_timezone: "Europe/Berlin", money_format: "${{amount}}", myshopify_domain: shop }),
};

function template(topic: string, shop: string): Record<string, unknown> {
  const key = topic.startsWith("customers/") || topic === "shop/redact" ? "compliance" : topic.split("/")[0]!;
  return (TEMPLATES[key] ?? TEMPLATES.app!)(shop);
}

/** The raw text of a webhook body for a topic: valid, one field hostile, a hostile line, or any JSON. */
export function webhookBody(topic: string, shop: string): fc.Arbitrary<string> {
  const valid = fc.constant(null).map(() => template(topic, shop));
  const badLine = fc.tuple(valid, mutateField(fc.constant(line))).map(([body, bad]) => ({ ...body, line_items: [line, bad] }));
  return fc
    .oneof({ weight: 1, arbitrary: valid }, { weight: 5, arbitrary: mutateField(valid) }, { weight: 2, arbitrary: badLine }, { weight: 1, arbitrary: hostileValue })
    .map((body) => JSON.stringify(body) ?? "null");
}
