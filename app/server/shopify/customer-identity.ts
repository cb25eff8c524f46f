import { createHash } from "node:crypto";
import type { Runtime } from "../runtime.ts";
import { adminClientFor } from "./admin-runtime.ts";

/**
 * The customer behind an app proxy request's signed `logged_in_customer_id`, read through
 * the Admin API: Shopify vouches for this email and consent, unlike anything in the
 * request body (events/trust.ts). Answers an Identify for the `admin` source, or null when
 * the customer cannot be read (not installed, throttled, Admin API down): the browser's
 * events still apply, the address just stays unverified until a webhook names it.
 */
const QUERY = `query CartbackCustomer($id: ID!) {
  customer(id: $id) { id email firstName lastName emailMarketingConsent { marketingState } }
}`;

interface CustomerData {
  customer: {
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    emailMarketingConsent: { marketingState: string | null } | null;
  } | null;
}

const CONSENT: Record<string, string> = {
  SUBSCRIBED: "subscribed",
  NOT_SUBSCRIBED: "not_subscribed",
  PENDING: "pending",
  UNSUBSCRIBED: "unsubscribed",
  REDACTED: "redacted",
  INVALID: "invalid",
};

const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 10_000;
type Cached = { until: number; event: Record<string, unknown> | null };
const caches = new WeakMap<Runtime, Map<string, Cached>>();

export async function customerIdentify(runtime: Runtime, shop: string, customerId: string, now: Date): Promise<Record<string, unknown> | null> {
  let cache = caches.get(runtime);
  if (!cache) {
    cache = new Map();
    caches.set(runtime, cache);
  }
  const key = `${shop}\n${customerId}`;
  const hit = cache.get(key);
  if (hit && hit.until > now.getTime()) return hit.event;

  const result = await adminClientFor(runtime).request<CustomerData>(shop, QUERY, { id: `gid://shopify/Customer/${customerId}` });
  if (result.type !== "ok") {
    runtime.logger.warn({ shop, result: result.type }, "could not read the logged-in customer; their email stays unverified");
    return null;
  }
  const event = identifyOf(result.data.customer, customerId, now);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, { until: now.getTime() + TTL_MS, event });
  return event;
}

/** The id is the content's hash: reading the same record again adds nothing. */
function identifyOf(customer: CustomerData["customer"], customerId: string, now: Date): Record<string, unknown> | null {
  if (!customer?.email) return null;
  const consent = CONSENT[customer.emailMarketingConsent?.marketingState ?? ""];
  const fields = {
    customerId,
    email: customer.email,
    ...(customer.firstName ? { firstName: customer.firstName.slice(0, 200) } : {}),
    ...(customer.lastName ? { lastName: customer.lastName.slice(0, 200) } : {}),
    ...(consent ? { marketingConsent: consent } : {}),
  };
  const digest = createHash("sha256").update(JSON.stringify(fields)).digest("base64url").slice(0, 22);
  return { id: `admin-customer:${customerId}:${digest}`, name: "Identify", occurredAt: now.toISOString(), via: "login", ...fields };
}
