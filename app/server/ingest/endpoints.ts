import type { Runtime } from "../runtime.ts";
import { pixelKeyMatches, verifyApiKey } from "../shops/keys.ts";
import { findShop } from "../shops/lookup.ts";
import { type BodyResult, parseBatch, problemReply, type Reply, summaryReply, invalidReply } from "./http.ts";
import { ingest } from "./service.ts";

// The event endpoints' behaviour as plain values (`Reply`), independent of the HTTP stack:
// the Remix routes turn a reply into a `Response`, the Node handler mounted before Express
// (node-handler.ts) writes it to the socket. One definition, so both answer alike.

/** Reads the request body (at most MAX_BODY_BYTES); called only once the caller is authorized. */
export type ReadBody = () => Promise<BodyResult>;

/**
 * The web pixel runs in a sandboxed worker whose requests carry no Shopify authentication and
 * sometimes no Origin: text/plain JSON (no CORS preflight), `Access-Control-Allow-Origin: *`.
 */
export const COLLECT_CORS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

/** POST /api/v1/events: `Authorization: Bearer cbk_…`, `{ "events": [...] }` (≤ 500). */
export async function apiEvents(runtime: Runtime, authorization: string | null, read: ReadBody): Promise<Reply> {
  const auth = await verifyApiKey(runtime.database.db, authorization);
  if (auth.type === "unauthorized") return problemReply(401, "unauthorized", auth.reason, "Authorization");
  const wait = runtime.limits.apiKey.take(auth.shop);
  if (wait > 0) return rateLimited(wait);
  const batch = parseBatch(await read());
  if (batch.type === "invalid") return invalidReply(batch);
  const outcome = await ingest(runtime, { shop: auth.shop, source: "api", items: batch.events, receivedAt: new Date() });
  if (outcome.type === "unknown_shop") return problemReply(404, "unknown_shop", `${outcome.shop} is not installed`, "Authorization");
  return summaryReply(outcome.summary);
}

/** POST /collect: shop and pixel key in the body; responses carry statuses only, never profile data. */
export async function collectEvents(runtime: Runtime, read: ReadBody): Promise<Reply> {
  const batch = parseBatch(await read());
  if (batch.type === "invalid") return invalidReply(batch, COLLECT_CORS);
  const { shop, pixelKey } = batch.body;
  if (typeof shop !== "string" || shop === "") return problemReply(400, "invalid_body", "expected the shop's myshopify domain", "shop", COLLECT_CORS);
  if (typeof pixelKey !== "string" || pixelKey === "") return problemReply(400, "invalid_body", "expected the pixel key from the pixel settings", "pixelKey", COLLECT_CORS);
  const row = await findShop(runtime.database.db, shop.toLowerCase());
  if (!row) return problemReply(404, "unknown_shop", "this shop has not installed Cartback", "shop", COLLECT_CORS);
  if (!pixelKeyMatches(row.pixelKey, pixelKey)) return problemReply(401, "unauthorized", "the pixel key does not belong to this shop", "pixelKey", COLLECT_CORS);
  const wait = runtime.limits.shopBrowser.take(row.shop);
  if (wait > 0) return rateLimited(wait, COLLECT_CORS);
  const outcome = await ingest(runtime, { shop: row.shop, source: "pixel", items: batch.events, receivedAt: new Date() });
  if (outcome.type === "unknown_shop") return problemReply(404, "unknown_shop", "this shop has not installed Cartback", "shop", COLLECT_CORS);
  return summaryReply(outcome.summary, COLLECT_CORS);
}

/** 429 with Retry-After (the SDK and the pixel wait that long); rate-limit.ts says why the numbers. */
export function rateLimited(waitSeconds: number, headers: Record<string, string> = {}): Reply {
  return problemReply(429, "rate_limited", `too many requests: retry after ${waitSeconds} s`, undefined, { ...headers, "Retry-After": String(waitSeconds) });
}

export const collectPreflight = (): Reply => ({ status: 204, body: null, headers: COLLECT_CORS });

export const collectWrongMethod = (): Reply =>
  problemReply(405, "method_not_allowed", "use POST", undefined, { ...COLLECT_CORS, Allow: "POST, OPTIONS" });

/**
 * Benchmark ceiling (`npm run bench:ingest`): the same bodies as the event endpoints, only
 * read and parsed, through the same stack. Exists only when CARTBACK_BENCH=1.
 */
export const parseOnlyEnabled = () => process.env.CARTBACK_BENCH === "1";

export async function parseOnly(read: ReadBody): Promise<Reply> {
  if (!parseOnlyEnabled()) return problemReply(404, "not_found", "no such endpoint");
  const batch = parseBatch(await read());
  if (batch.type === "invalid") return problemReply(batch.status, batch.code, batch.message, batch.field);
  return { status: 200, body: { received: batch.events.length } };
}
