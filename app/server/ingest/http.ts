import { json } from "@remix-run/node";
import { readCappedBody } from "../http-body.ts";
import type { ProblemBody } from "../http.ts";
import { MAX_EVENTS_PER_REQUEST } from "./service.ts";
import type { IngestSummary } from "./results.ts";

/** Request bodies above this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyResult = { type: "ok"; raw: string } | { type: "too_large" };

/** Reads at most MAX_BODY_BYTES, without trusting Content-Length (http-body.ts). */
export async function readLimitedBody(request: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const body = await readCappedBody(request, limit);
  return body.type === "ok" ? { type: "ok", raw: Buffer.from(body.bytes.buffer, 0, body.bytes.byteLength).toString("utf8") } : { type: "too_large" };
}

export type BatchResult =
  | { type: "ok"; body: Record<string, unknown>; events: unknown[] }
  | { type: "invalid"; status: 400 | 413; code: string; field: string; message: string };

/** `{ "events": [ … ] }`, at most MAX_EVENTS_PER_REQUEST. */
export function parseBatch(read: BodyResult): BatchResult {
  if (read.type === "too_large") {
    return { type: "invalid", status: 413, code: "body_too_large", field: "body", message: `the body is over ${MAX_BODY_BYTES} bytes` };
  }
  let body: unknown;
  try {
    body = JSON.parse(read.raw);
  } catch {
    return { type: "invalid", status: 400, code: "malformed_json", field: "body", message: "the body is not valid JSON" };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { type: "invalid", status: 400, code: "invalid_body", field: "body", message: 'expected an object like {"events": [...]}' };
  }
  const events = (body as { events?: unknown }).events;
  if (!Array.isArray(events)) return { type: "invalid", status: 400, code: "invalid_body", field: "events", message: "expected an array of events" };
  if (events.length === 0) return { type: "invalid", status: 400, code: "invalid_body", field: "events", message: "expected at least one event" };
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    return { type: "invalid", status: 413, code: "batch_too_large", field: "events", message: `at most ${MAX_EVENTS_PER_REQUEST} events per request (got ${events.length})` };
  }
  return { type: "ok", body: body as Record<string, unknown>, events };
}

/**
 * An endpoint's answer as a plain value: the Remix routes turn it into a `Response`
 * (`toResponse`), the Node handler mounted before Express writes it to the socket.
 */
export interface Reply {
  status: number;
  /** `null`: no body (the CORS preflight). */
  body: unknown;
  headers?: Record<string, string>;
}

export function toResponse(reply: Reply): Response {
  if (reply.body === null) return new Response(null, { status: reply.status, headers: reply.headers });
  return json(reply.body, { status: reply.status, headers: reply.headers });
}

export function problemReply(status: number, code: string, message: string, field?: string, headers?: Record<string, string>): Reply {
  const body: ProblemBody = { error: field ? { code, field, message } : { code, message } };
  return { status, body, headers };
}

export function invalidReply(result: Extract<BatchResult, { type: "invalid" }>, headers?: Record<string, string>): Reply {
  return problemReply(result.status, result.code, result.message, result.field, headers);
}

/**
 * 200 with a result per event when anything was accepted, a duplicate or ignored; 400
 * naming the first wrong field when every event was rejected (nothing changed).
 */
export function summaryReply(summary: IngestSummary, headers?: Record<string, string>): Reply {
  if (summary.rejected > 0 && summary.rejected === summary.results.length) {
    const first = summary.results.find((r) => r.status === "rejected");
    const detail = first && first.status === "rejected" ? first : undefined;
    const error = { code: "invalid_events", field: detail?.field ?? "events", message: detail?.reason ?? "every event was rejected" };
    return { status: 400, body: { error, ...summary }, headers };
  }
  return { status: 200, body: summary, headers };
}

export function invalid(result: Extract<BatchResult, { type: "invalid" }>, headers?: Record<string, string>) {
  return toResponse(invalidReply(result, headers));
}

export function summaryResponse(summary: IngestSummary, headers?: Record<string, string>) {
  return toResponse(summaryReply(summary, headers));
}
