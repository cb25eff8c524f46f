import type { IncomingMessage, ServerResponse } from "node:http";
import type { Runtime } from "../runtime.ts";
import express from "express";
import { peerAddress } from "../rate-limit.ts";
import { apiEvents, COLLECT_CORS, collectEvents, collectPreflight, parseOnly, parseOnlyEnabled, rateLimited, type ReadBody } from "./endpoints.ts";
import { type BodyResult, MAX_BODY_BYTES, problemReply, type Reply } from "./http.ts";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "./unavailable.ts";
import { lingerOnUnreadBody } from "./unread-body.ts";
import { badHostHeader } from "../admin-auth/request-guards.ts";
import { shopifySecret } from "../config.ts";
import { readWebhookFromNode } from "../webhook-inbox/node-read.ts";
import { EVENT_WEBHOOK_ROUTES } from "../webhook-inbox/translate.ts";
import { eventWebhookReply } from "./webhook.ts";

/**
 * POST /api/v1/events, POST and OPTIONS /collect, the cart, checkout and order webhooks (and
 * the benchmark's parse-only ceiling) served straight from Node's request, ahead of Express and Remix: at thousands of requests
 * per second their request and response objects cost as much CPU as validating the events.
 * Answers come from the same functions the Remix routes use (endpoints.ts); anything else on
 * these paths (GET, other methods) falls through to the routes.
 */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export function ingestNodeHandler(runtime: Runtime): NodeHandler {
  // Express's own compiled TRUST_PROXY rule, so a client here is who req.ip says it is there.
  const trust = express().set("trust proxy", runtime.config.trustProxy).get("trust proxy fn") as (address: string, hop: number) => boolean;
  return (req, res) => {
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    let answer: (() => Promise<Reply>) | undefined;
    if (pathname === "/api/v1/events" && req.method === "POST") {
      const authorization = req.headers.authorization ?? null;
      answer = () => apiEvents(runtime, authorization, reader(req));
    } else if (pathname === "/collect" && req.method === "POST") {
      const wait = runtime.limits.client.take(peerAddress(req, trust));
      answer = wait > 0 ? async () => rateLimited(wait, COLLECT_CORS) : () => collectEvents(runtime, reader(req));
    }
    else if (pathname === "/collect" && req.method === "OPTIONS") answer = async () => collectPreflight();
    else if (pathname === "/api/v1/events/parse-only" && req.method === "POST" && parseOnlyEnabled()) answer = () => parseOnly(reader(req));
    else if (req.method === "POST" && Object.hasOwn(EVENT_WEBHOOK_ROUTES, pathname)) {
      const translate = EVENT_WEBHOOK_ROUTES[pathname]!;
      // The same answer as the Express guard in front of the Remix route (request-guards.ts).
      const badHost = badHostHeader(req.headers);
      answer = badHost
        ? async () => problemReply(400, "invalid_header", "not a host name with an optional port", badHost)
        : async () => eventWebhookReply(runtime, await readWebhookFromNode(req, shopifySecret(runtime.config)), translate);
    }
    if (!answer) {
      // Every request passes here first (main.ts): those Express and Remix answer linger from the start.
      lingerOnUnreadBody(req, res);
      return false;
    }
    answer().then(
      (reply) => send(req, res, reply),
      (error: unknown) => {
        runtime.logger.error({ err: error, path: pathname }, "event endpoint failed");
        if (res.headersSent) res.destroy();
        else send(req, res, failureReply(error));
      },
    );
    return true;
  };
}

/**
 * A database outage is worth retrying: 503 with Retry-After (the SDK and the pixel wait and
 * resend). Anything else is what Remix answers for an error thrown in a resource route.
 */
function failureReply(error: unknown): Reply {
  if (!isDatabaseUnavailable(error)) return { status: 500, body: "Unexpected Server Error" };
  return problemReply(503, "unavailable", "the database is unavailable; retry later", undefined, { "Retry-After": String(RETRY_AFTER_SECONDS) });
}

/**
 * Headers as one flat list (writeHead takes [name, value, …]): no copy of the reply's headers
 * per answer. An answer sent before its body was read (a 401, 404 or 413) lingers on the rest
 * (unread-body.ts); one sent after the body ended has nothing left, and skips it: /collect
 * answers thousands a second.
 */
function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  if (!req.complete) lingerOnUnreadBody(req, res);
  const headers: (string | number)[] = [];
  if (reply.headers) for (const name in reply.headers) headers.push(name, reply.headers[name]!);
  if (reply.body === null) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  headers.push("Content-Type", typeof reply.body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8", "Content-Length", Buffer.byteLength(text));
  res.writeHead(reply.status, headers as string[]).end(text);
}

/**
 * Reads at most MAX_BODY_BYTES, without trusting Content-Length. Past the limit the rest is
 * drained after the response, within bounds (unread-body.ts), as for the Remix routes.
 * `onChunk` sees each chunk kept (a webhook's HMAC is computed on the bytes as they arrive).
 */
export function reader(req: IncomingMessage, limit = MAX_BODY_BYTES, onChunk?: (chunk: Buffer) => void): ReadBody {
  return () =>
    new Promise<BodyResult>((resolve, reject) => {
      const declared = Number(req.headers["content-length"]);
      if (Number.isFinite(declared) && declared > limit) {
        resolve({ type: "too_large" });
        return;
      }
      // Auth ran first (a database read): the client may have given up meanwhile.
      if (req.destroyed) {
        reject(new Error("the client closed the request before its body was read"));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const settle = (result: BodyResult | Error) => {
        if (settled) return;
        settled = true;
        req.off("data", onData);
        req.off("end", onEnd);
        req.off("error", onError);
        req.off("close", onClose);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > limit) settle({ type: "too_large" });
        else {
          onChunk?.(chunk);
          chunks.push(chunk);
        }
      };
      const onEnd = () => settle({ type: "ok", raw: (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString("utf8") });
      const onError = (error: Error) => settle(error);
      // Every request closes once answered: the Error (a stack trace each) only when the body never ended.
      const onClose = () => {
        if (!settled) settle(new Error("the client closed the request before its body ended"));
      };
      req.on("data", onData);
      req.once("end", onEnd);
      req.once("error", onError);
      req.once("close", onClose);
    });
}
