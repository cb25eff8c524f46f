import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serveJsonl } from "./bulk.ts";
import { answer, finish } from "./graphql.ts";
import { tokenExchange } from "./oauth.ts";
import { type FakeAdminOptions, FakeAdminState } from "./state.ts";

export type { BulkFaults, BulkOperation, LineOrder } from "./bulk.ts";
export type { DiscountUserError, FakeDiscount } from "./discounts.ts";
export type { FakeAdminOptions, RecordedRequest } from "./state.ts";
export { FakeAdminState } from "./state.ts";
export { type TokenExchangeRecord, verifySessionToken } from "./oauth.ts";
export { type SessionTokenClaims, signSessionToken } from "./session-token.ts";
export type { FakeProduct, FakeShopInfo, FakeVariant } from "./store.ts";
export { generateProducts } from "./store.ts";
export { productsFromBulkJsonl, productsFromJson, productsFromJsonFile } from "./seed.ts";

export interface FakeShopifyAdmin {
  origin: string;
  state: FakeAdminState;
  close(): Promise<void>;
}

const GRAPHQL_PATH = /^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/;

/**
 * A local Shopify Admin API for tests and development: a real HTTP server on 127.0.0.1
 * answering the GraphQL operations Cartback sends, with Shopify's auth failures, cost
 * extensions and THROTTLED errors, and bulk results served as streamed JSONL.
 */
export async function startFakeShopifyAdmin(options: FakeAdminOptions = {}): Promise<FakeShopifyAdmin> {
  const state = new FakeAdminState(options);
  state.completeBulk = () => {
    const op = state.currentBulkOperation();
    if (op) finish(state, op);
  };
  const server = createServer((req, res) => {
    handle(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { errors: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin: state.origin,
    state,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function handle(state: FakeAdminState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", state.origin);
  if (req.method === "GET" && url.pathname.startsWith("/bulk-results/")) {
    const expires = Number(url.searchParams.get("expires"));
    if (state.bulkFaults.expired || !(expires > state.now())) {
      res.writeHead(403, { "content-type": "application/xml" });
      res.end("<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code><Message>Request has expired</Message></Error>");
      return;
    }
    const partial = url.pathname.startsWith("/bulk-results/partial/");
    const id = /\/(\d+)\.jsonl$/.exec(url.pathname)?.[1];
    const op = state.bulkOperations.find((o) => o.id === `gid://shopify/BulkOperation/${id}`);
    if (!op?.lines) {
      send(res, 404, { errors: "Not Found" });
      return;
    }
    await serveJsonl(res, op.lines, { faults: state.bulkFaults, limit: partial ? Math.floor(op.lines.length / 2) : undefined });
    return;
  }
  if (req.method === "POST" && url.pathname === "/admin/oauth/access_token") {
    const form = parseOAuthBody(await readBody(req), String(req.headers["content-type"] ?? ""));
    const result = form ? tokenExchange(state, form) : { status: 400, body: { error: "invalid_request", error_description: "The request body could not be read" } };
    send(res, result.status, result.body);
    return;
  }
  if (req.method !== "POST" || !GRAPHQL_PATH.test(url.pathname)) {
    send(res, 404, { errors: "Not Found" });
    return;
  }
  if (!state.isAccepted(req.headers["x-shopify-access-token"])) {
    send(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    return;
  }
  let body: { query?: unknown; variables?: unknown };
  try {
    body = JSON.parse(await readBody(req)) as typeof body;
  } catch {
    send(res, 400, { errors: { query: "Required parameter missing or invalid" } });
    return;
  }
  if (typeof body.query !== "string" || body.query.trim() === "") {
    send(res, 400, { errors: { query: "Required parameter missing or invalid" } });
    return;
  }
  const variables = (typeof body.variables === "object" && body.variables !== null ? body.variables : {}) as Record<string, unknown>;
  const request = { query: body.query, variables };
  const operation = /\b(\w+)\s*[({]/.exec(body.query.replace(/^\s*(query|mutation)\b[^{]*\{/, ""))?.[1] ?? "unknown";
  // Cost is known before running (Shopify's requestedQueryCost); a dry answer gives it.
  const requested = estimateCost(body.query, variables);
  if (!state.bucket.take(requested)) {
    state.requests.push({ operation, throttled: true, variables });
    send(res, 200, {
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: state.bucket.status() } },
    });
    return;
  }
  state.requests.push({ operation, throttled: false, variables });
  const result = answer(state, request);
  send(res, 200, {
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors ? { errors: result.errors } : {}),
    extensions: { cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: state.bucket.status() } },
  });
}

/** Shopify's OAuth endpoint takes JSON (the library's choice) or a form body. */
function parseOAuthBody(text: string, contentType: string): Record<string, unknown> | null {
  try {
    if (contentType.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function estimateCost(query: string, variables: Record<string, unknown>): number {
  if (/\bmutation\b/.test(query)) return 10;
  if (/\bproducts\s*\(/.test(query)) return 2 + Number(variables.first ?? /first\s*:\s*(\d+)/.exec(query)?.[1] ?? 50);
  return 1;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
