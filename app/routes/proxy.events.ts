import type { ActionFunctionArgs } from "@remix-run/node";
import { shopifySecret } from "../server/config.ts";
import { problem } from "../server/http.ts";
import { rateLimited } from "../server/ingest/endpoints.ts";
import { invalid, parseBatch, readLimitedBody, summaryResponse, toResponse } from "../server/ingest/http.ts";
import { ingest } from "../server/ingest/service.ts";
import { orUnavailable } from "../server/ingest/unavailable.ts";
import { customerIdentify } from "../server/shopify/customer-identity.ts";
import { verifyProxyRequest } from "../server/shopify/proxy-signature.ts";

/**
 * The storefront SDK's endpoint, reached as /apps/cartback/events through Shopify's app
 * proxy. The signed query names the shop and the logged-in customer; the body is not signed,
 * so it may only add events: it never claims a customer id, and an email or consent in it
 * stays unverified (events/trust.ts). The logged-in customer's own record is read from the
 * Admin API and vouches for their address.
 */
export async function action(args: ActionFunctionArgs) {
  return orUnavailable(() => acceptEvents(args));
}

async function acceptEvents({ request, context }: ActionFunctionArgs) {
  const { runtime } = context;
  if (request.method !== "POST") return problem(405, "method_not_allowed", "use POST", undefined, { Allow: "POST" });
  const proxy = verifyProxyRequest(new URL(request.url), shopifySecret(runtime.config));
  if (proxy.type === "unauthorized") return problem(401, "unauthorized", proxy.reason, "signature");
  const wait = runtime.limits.shopBrowser.take(proxy.shop);
  if (wait > 0) return toResponse(rateLimited(wait));
  const batch = parseBatch(await readLimitedBody(request));
  if (batch.type === "invalid") return invalid(batch);
  const receivedAt = new Date();
  if (proxy.customerId) {
    // Shopify signed who is logged in: their record, not the body, says where to mail them.
    const identify = await customerIdentify(runtime, proxy.shop, proxy.customerId, receivedAt);
    if (identify) await ingest(runtime, { shop: proxy.shop, source: "admin", items: [identify], receivedAt });
  }
  const outcome = await ingest(runtime, {
    shop: proxy.shop,
    source: "sdk",
    items: batch.events,
    receivedAt,
    verifiedCustomerId: proxy.customerId,
  });
  if (outcome.type === "unknown_shop") return problem(404, "unknown_shop", `${outcome.shop} has not installed Cartback`, "shop");
  return summaryResponse(outcome.summary);
}

export async function loader() {
  return problem(405, "method_not_allowed", "use POST", undefined, { Allow: "POST" });
}
