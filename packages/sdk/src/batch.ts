import type { QueuedEvent } from "./queue.ts";

/** Chromium refuses keepalive requests once the page's pending keepalive bodies pass 64 KiB. */
export const KEEPALIVE_LIMIT_BYTES = 64 * 1024;

const encoder = new TextEncoder();

export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

export interface Batch {
  events: QueuedEvent[];
  body: string;
  bytes: number;
  /** Events that can never fit in one request on their own. */
  oversize: QueuedEvent[];
}

/**
 * Oldest events first, as many as fit under both limits. The wire body is `{"events":[...]}`;
 * sizes are summed per event so we stringify each event once.
 */
export function takeBatch(items: readonly QueuedEvent[], maxEvents: number, maxBytes: number): Batch {
  const envelope = byteLength('{"events":[]}');
  const events: QueuedEvent[] = [];
  const parts: string[] = [];
  const oversize: QueuedEvent[] = [];
  let bytes = envelope;
  for (const item of items) {
    if (events.length >= maxEvents) break;
    const json = JSON.stringify(item.body);
    const size = byteLength(json) + (parts.length > 0 ? 1 : 0);
    if (envelope + size > maxBytes) {
      oversize.push(item);
      continue;
    }
    if (bytes + size > maxBytes) break;
    bytes += size;
    events.push(item);
    parts.push(json);
  }
  return { events, body: `{"events":[${parts.join(",")}]}`, bytes, oversize };
}
