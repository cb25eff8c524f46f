import type { IncomingMessage, ServerResponse } from "node:http";
import type { Config } from "../config.ts";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as Express sees it under TRUST_PROXY (the TCP peer when unset). */
    clientAddress?: string;
  }
}

/**
 * What the web app (Express) needs for the admin's safety, applied in one call from main.ts:
 * which proxies may name the client, a 400 for a Host header no URL can hold, and a 403 for
 * cross-origin form posts.
 */
export interface WebApp {
  set(setting: string, value: unknown): unknown;
  use(handler: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): unknown;
}

export function applyRequestGuards(web: WebApp, config: Pick<Config, "trustProxy">): void {
  web.set("trust proxy", config.trustProxy);
  web.use(refuseCrossOriginWrites);
}

/** For createRequestHandler's getLoadContext: Express's `req.ip` honours `trust proxy`. */
export function clientAddress(req: { ip?: string; socket: { remoteAddress?: string } }): string {
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Routes other sites legitimately post to; each authenticates by a token, key or signature. */
const CROSS_ORIGIN_PATHS = ["/webhooks/", "/api/", "/collect", "/proxy/", "/unsubscribe"];

/**
 * Remix refuses a form post whose Origin is not this host, but by throwing, which answers 500.
 * The same rule is checked here first, answering 403: the host is X-Forwarded-Host's first
 * entry, else Host, exactly as Remix compares (a page on another site cannot set either).
 */
export function crossOriginRefusal(req: Pick<IncomingMessage, "method" | "url" | "headers">): string | null {
  if (!UNSAFE.has(req.method ?? "")) return null;
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  if (isCrossOriginPath(req.url)) return null;
  const forwarded = [req.headers["x-forwarded-host"]].flat()[0]?.split(",")[0]?.trim();
  const host = forwarded || req.headers.host;
  let originHost: string | null = null;
  try {
    originHost = origin === "null" ? null : new URL(origin).host;
  } catch {
    originHost = null;
  }
  if (host && originHost === host) return null;
  return "this form must be posted from this app's own pages";
}

const isCrossOriginPath = (url: string | undefined) => {
  const path = (url ?? "/").split("?")[0]!;
  return CROSS_ORIGIN_PATHS.some((open) => (open.endsWith("/") ? path.startsWith(open) : path === open));
};

const HOST_CHARS = /^[A-Za-z0-9.\-_[\]:]*$/;

/**
 * @remix-run/express builds the request URL from Host and X-Forwarded-Host (its port even
 * without TRUST_PROXY) and throws, answering 500, when that is no URL: `Host: a b`,
 * `X-Forwarded-Host: a:99999999` (npm run fuzz). Such a header names no host of ours: 400.
 */
export function badHostHeader(headers: IncomingMessage["headers"]): string | null {
  for (const name of ["host", "x-forwarded-host"] as const) {
    const value = [headers[name]].flat()[0];
    if (value === undefined) continue;
    const port = Number.parseInt(value.split(":")[1] ?? "", 10);
    const hosts = name === "host" ? [value] : value.split(",").map((entry) => entry.trim());
    if (!hosts.every((host) => HOST_CHARS.test(host)) || (Number.isSafeInteger(port) && (port < 0 || port > 65_535))) return name === "host" ? "Host" : "X-Forwarded-Host";
  }
  return null;
}

function refuseCrossOriginWrites(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const badHost = badHostHeader(req.headers);
  if (badHost) {
    res.writeHead(400, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", Connection: "close" });
    res.end(JSON.stringify({ error: { code: "invalid_header", field: badHost, message: "not a host name with an optional port" } }));
    return;
  }
  const refusal = crossOriginRefusal(req);
  if (!refusal) {
    // These paths authenticate by key or signature, not Origin; a post to one no route matches
    // (`/webhooks/nope`, `/api/v1/catalogs/..`) would reach Remix's own Origin check, which
    // throws (500) for any Origin but this host's: without it, Remix answers 404 (npm run fuzz).
    if (UNSAFE.has(req.method ?? "") && isCrossOriginPath(req.url)) delete req.headers.origin;
    next();
    return;
  }
  res.writeHead(403, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", Connection: "close" });
  res.end(JSON.stringify({ error: { code: "cross_origin", field: "Origin", message: refusal } }));
}
