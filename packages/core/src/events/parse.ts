import type { z } from "zod";
import type { CartEvent } from "./event.ts";
import type { EventSource } from "./names.ts";
import { findUnstorableText } from "./fields.ts";
import { WireEvent } from "./wire.ts";
import { checkEvent } from "./wire-check.ts";

/** Per-event outcome of validation; a rejected event names the first wrong field. */
export type ParseResult =
  | { type: "ok"; event: CartEvent }
  | { type: "rejected"; id: string | null; field: string; reason: string };

export interface Envelope {
  shop: string;
  receivedAt: Date;
  source: EventSource;
}

export function parseEvent(input: unknown, envelope: Envelope, prefix = ""): ParseResult {
  // Most events pass the hand-written check; the rest, and every rejection, go by the schema.
  const event = checkEvent(input, envelope);
  if (event) return { type: "ok", event };
  return parseEventBySchema(input, envelope, prefix);
}

/** `parseEvent` by the schema alone: the spec the hand-written check is tested against (wire-check.test.ts). */
export function parseEventBySchema(input: unknown, envelope: Envelope, prefix = ""): ParseResult {
  const unstorable = findUnstorableText(input);
  if (unstorable) return { type: "rejected", id: idOf(input), field: fieldPath(prefix, unstorable.path), reason: unstorable.reason };
  const parsed = WireEvent.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      type: "rejected",
      id: idOf(input),
      field: fieldPath(prefix, issue.path),
      reason: reasonOf(issue),
    };
  }
  const { id, occurredAt, body } = parsed.data;
  return { type: "ok", event: { ...body, id, occurredAt, ...envelope } as CartEvent };
}

/** `events[3].lines[0].variantId` */
export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "body" : out;
}

function reasonOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
    return "unknown event name: expected one of Added to Cart, Removed from Cart, Cart Snapshot, Checkout Started, Identify, Charged";
  }
  return issue.message;
}

function idOf(input: unknown): string | null {
  if (typeof input === "object" && input !== null && "id" in input) {
    const id = (input as { id: unknown }).id;
    if (typeof id === "string" && id.length > 0 && id.length <= 200) return id;
  }
  return null;
}
