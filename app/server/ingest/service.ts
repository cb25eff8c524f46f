import type { CartEvent } from "@cartback/core/events/event";
import type { EventSource } from "@cartback/core/events/names";
import { type Envelope, parseEvent } from "@cartback/core/events/parse";
import { fromPixelEvent } from "@cartback/core/events/pixel";
import { SOURCE_TRUST } from "@cartback/core/events/trust";
import { identityKeys } from "@cartback/core/identity/stitch";
import type { Database } from "@cartback/db";
import { queueInBurst } from "../event-inbox/receive.ts";
import type { Logger } from "../logger.ts";
import type { Runtime } from "../runtime.ts";
import { findShop } from "../shops/lookup.ts";
import type { ApplyOptions } from "./apply.ts";
import { IngestQueue } from "./queue.ts";
import { type EventResult, type IngestSummary, summarize } from "./results.ts";

/**
 * The one entry point every source uses (public API, app proxy, pixel, webhooks): validate
 * each event on its own, apply the valid ones in one transaction, answer per event.
 *
 * Cart tracking off: events are still validated (bad input is still a 4xx) but valid ones
 * are answered `ignored` and nothing is stored — the merchant turned collection off, so no
 * shopper data is kept, and the sender does not retry.
 */
export const MAX_EVENTS_PER_REQUEST = 500;
/** Clocks drift, queued SDK batches arrive late; an event from further ahead is refused. */
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

export interface IngestRequest {
  shop: string;
  source: EventSource;
  items: readonly unknown[];
  receivedAt: Date;
  /**
   * Identity the transport vouches for: the app proxy's logged_in_customer_id. Replaces any
   * customerId in the body; `null` (a proxied guest) removes one.
   */
  verifiedCustomerId?: string | null;
  /** Where a rejected item's field path starts (`events`). */
  fieldPrefix?: string;
  /**
   * A Shopify webhook's delivery, claimed in the transaction that applies its events so a
   * retry of a processed delivery changes nothing and a failed one is retried by Shopify.
   */
  delivery?: { webhookId: string; topic: string };
}

export type IngestOutcome =
  | { type: "ok"; summary: IngestSummary; alreadyProcessed?: boolean }
  | { type: "unknown_shop"; shop: string };

/**
 * The ingest service of one process: one per-shop queue that every source submits to.
 * Built once by createRuntime and carried on the runtime, never looked up in a module
 * registry: the server build and the source graph may each hold a copy of this module.
 */
export interface IngestService {
  submit(request: IngestRequest): Promise<IngestOutcome>;
  /** Submissions per source since start (tests and /healthz-style diagnostics). */
  readonly submissions: Readonly<Record<string, number>>;
  /** How events are applied (the event inbox's drain applies with the same rules and campaign hook). */
  readonly options: ApplyOptions;
}

export interface IngestDeps {
  database: Database;
  logger: Logger;
}

export function createIngestService(deps: IngestDeps, options: ApplyOptions = {}): IngestService {
  const queue = new IngestQueue(deps.database, deps.logger, options);
  const submissions: Record<string, number> = {};
  return {
    submissions,
    options,
    submit: (request) => {
      submissions[request.source] = (submissions[request.source] ?? 0) + 1;
      return submitTo(queue, deps.database, request);
    },
  };
}

/** Every source's way in: `runtime.ingest.submit`. */
export function ingest(runtime: Pick<Runtime, "ingest">, request: IngestRequest): Promise<IngestOutcome> {
  return runtime.ingest.submit(request);
}

/** Replaces the runtime's ingest service (tests wire their own campaign hook or rules). */
export function configureIngest(runtime: Runtime, options: ApplyOptions): void {
  runtime.ingest = createIngestService(runtime, options);
}

async function submitTo(queue: IngestQueue, database: Database, request: IngestRequest): Promise<IngestOutcome> {
  const shopRow = await findShop(database.db, request.shop);
  if (!shopRow) return { type: "unknown_shop", shop: request.shop };
  const envelope: Envelope = { shop: request.shop, receivedAt: request.receivedAt, source: request.source };
  const prefix = request.fieldPrefix ?? "events";
  const results: (EventResult | null)[] = [];
  const valid: { index: number; event: CartEvent }[] = [];
  const seen = new Set<string>();

  request.items.forEach((item, index) => {
    const checked = validate(item, index, envelope, request, `${prefix}[${index}]`);
    if (checked.type === "result") {
      results.push(checked.result);
      return;
    }
    if (seen.has(checked.event.id)) {
      results.push({ index, id: checked.event.id, status: "duplicate" });
      return;
    }
    seen.add(checked.event.id);
    results.push(null);
    valid.push({ index, event: checked.event });
  });

  if (!shopRow.cartTrackingEnabled) {
    for (const { index, event } of valid) results[index] = { index, id: event.id, status: "ignored", reason: "cart tracking is off for this shop" };
  } else if (valid.length > 0 && BURST_SOURCES.has(request.source) && (await queueInBurst(database, request.shop, valid.map((v) => v.event)))) {
    for (const { index, event } of valid) results[index] = { index, id: event.id, status: "queued" };
  } else if (valid.length > 0) {
    const { delivery } = request;
    const status = await queue.submit(request.shop, valid.map((v) => v.event), delivery);
    if (status === "already_processed") return { type: "ok", summary: summarize([]), alreadyProcessed: true };
    for (const { index, event } of valid) results[index] = { index, id: event.id, status: status.get(event.id) ?? "duplicate" };
  }
  return { type: "ok", summary: summarize(results as EventResult[]) };
}

/**
 * The endpoints a burst hits (the events API and the web pixel) may answer `queued` during one
 * (event-inbox/receive.ts). Webhooks have their own inbox; the app proxy's answers stay applied.
 */
const BURST_SOURCES: ReadonlySet<EventSource> = new Set<EventSource>(["api", "pixel"]);

type Checked = { type: "event"; event: CartEvent } | { type: "result"; result: EventResult };

function validate(item: unknown, index: number, envelope: Envelope, request: IngestRequest, path: string): Checked {
  let input = item;
  if (request.source === "pixel") {
    // fromPixelEvent says not_pixel for a wire event (the pixel may send those too): one name check per event.
    const translated = fromPixelEvent(item);
    if (translated.type === "not_cart") {
      return { type: "result", result: { index, id: idOf(item), status: "ignored", reason: `${translated.name} is not a cart event` } };
    }
    if (translated.type === "ok") input = translated.event;
  }
  const parsed = parseEvent(input, envelope, path);
  if (parsed.type === "rejected") {
    return { type: "result", result: { index, id: parsed.id, status: "rejected", field: parsed.field, reason: parsed.reason } };
  }
  const event = withTrustedIdentity(parsed.event, request);
  if (identityKeys(event.identifiers).length === 0) {
    return { type: "result", result: { index, id: event.id, status: "rejected", field: `${path}.clientId`, reason: "an event needs at least one of clientId, cartToken, checkoutToken, customerId, email" } };
  }
  if (event.occurredAt.getTime() > request.receivedAt.getTime() + MAX_FUTURE_MS) {
    return { type: "result", result: { index, id: event.id, status: "rejected", field: `${path}.occurredAt`, reason: "is more than a day in the future" } };
  }
  return { type: "event", event };
}

/**
 * A browser may name an email (kept unverified, it stitches carts) but not a customer id:
 * only the app proxy's signed query, webhooks and API-key callers vouch for those.
 */
function withTrustedIdentity(event: CartEvent, request: IngestRequest): CartEvent {
  // Most events name no customer id: kept as they are, without a copy (profile of bench:ingest).
  if (request.verifiedCustomerId === undefined && !("customerId" in event.identifiers)) return event;
  const { customerId, ...rest } = event.identifiers;
  if (request.verifiedCustomerId !== undefined) {
    return { ...event, identifiers: request.verifiedCustomerId ? { ...rest, customerId: request.verifiedCustomerId } : rest };
  }
  if (!SOURCE_TRUST[request.source].customerId) return { ...event, identifiers: rest };
  return customerId ? event : { ...event, identifiers: rest };
}

function idOf(item: unknown): string | null {
  const id = typeof item === "object" && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === "string" ? id.slice(0, 200) : null;
}
