import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { problem } from "../server/http.ts";
import { invalid, parseBatch, readLimitedBody, summaryResponse } from "../server/ingest/http.ts";
import { ingest } from "../server/ingest/service.ts";
import { pixelKeyMatches } from "../server/shops/keys.ts";
import { findShop } from "../server/shops/lookup.ts";

/**
 * The web pixel's endpoint. The pixel runs in a sandboxed worker whose requests carry no
 * Shopify authentication and sometimes no Origin: text/plain JSON (no CORS preflight),
 * `Access-Control-Allow-Origin: *`, shop and pixel key in the body. The pixel may forward
 * Shopify's standard events as they are. Responses carry statuses only, never profile data.
 */
const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

export async function action({ request, context }: ActionFunctionArgs) {
  const { runtime } = context;
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
  if (request.method !== "POST") return problem(405, "method_not_allowed", "use POST", undefined, { ...CORS, Allow: "POST, OPTIONS" });
  const batch = parseBatch(await readLimitedBody(request));
  if (batch.type === "invalid") return invalid(batch, CORS);
  const { shop, pixelKey } = batch.body;
  if (typeof shop !== "string" || shop === "") return problem(400, "invalid_body", "expected the shop's myshopify domain", "shop", CORS);
  if (typeof pixelKey !== "string" || pixelKey === "") return problem(400, "invalid_body", "expected the pixel key from the pixel settings", "pixelKey", CORS);
  const row = await findShop(runtime.database.db, shop.toLowerCase());
  if (!row) return problem(404, "unknown_shop", "this shop has not installed Cartback", "shop", CORS);
  if (!pixelKeyMatches(row.pixelKey, pixelKey)) return problem(401, "unauthorized", "the pixel key does not belong to this shop", "pixelKey", CORS);
  const outcome = await ingest(runtime, { shop: row.shop, source: "pixel", items: batch.events, receivedAt: new Date() });
  if (outcome.type === "unknown_shop") return problem(404, "unknown_shop", "this shop has not installed Cartback", "shop", CORS);
  return summaryResponse(outcome.summary, CORS);
}

// Remix hands OPTIONS to the loader: answer the CORS preflight here.
export async function loader({ request }: LoaderFunctionArgs) {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
  return problem(405, "method_not_allowed", "use POST", undefined, { ...CORS, Allow: "POST, OPTIONS" });
}
