import type { CartEvent } from "@cartback/core/events/event";
import { purchaseKeys } from "@cartback/core/identity/stitch";
import type { Db } from "@cartback/db";
import { sql } from "drizzle-orm";

/**
 * The event inbox's SQL: one multi-row INSERT for many requests' events before their answers,
 * and, in the transaction that applies them, one DELETE … RETURNING that takes a shop's oldest
 * rows. Availability uses the database's clock, so processes with drifting clocks agree.
 */
export interface WaitingEvent {
  shop: string;
  event: CartEvent;
}

export interface TakenRow {
  id: number;
  event: CartEvent;
  attempts: number;
}

/**
 * Stores events in one statement (the caller's request answers once it has committed). Each
 * column goes as one text parameter, its values joined by newlines and split by
 * `string_to_array` in PostgreSQL: node-postgres escapes every element of an array parameter
 * (two regex replaces over each JSON body), which with drizzle's multi-row VALUES before it cost
 * more CPU than validating the events (profiles of bench:ingest, issue 18). A JSON text never
 * holds a raw newline (JSON.stringify escapes it); a shop or id that did is sent as an array.
 */
export async function storeEvents(db: Db, rows: readonly WaitingEvent[]): Promise<void> {
  if (rows.length === 0) return;
  const n = rows.length;
  const shops = new Array<string>(n);
  const ids = new Array<string>(n);
  const bodies = new Array<string>(n);
  const received = new Array<string>(n);
  let joinable = true;
  // A purchase's buyer keys (a few rows at most): the rows then go as arrays, with a fifth.
  let buyers: (string | null)[] | null = null;
  // A request's events share one receivedAt.
  let lastDate: Date | null = null;
  let lastIso = "";
  for (let i = 0; i < n; i++) {
    const { shop, event } = rows[i]!;
    shops[i] = shop;
    ids[i] = event.id;
    // The event as it is, its shop included: a copy without it (object rest) cost a fifth of the
    // stringify (bench:ingest). The column is the shop that counts: reviveEvent sets it from there.
    bodies[i] = JSON.stringify(event);
    if (event.receivedAt !== lastDate) {
      lastDate = event.receivedAt;
      lastIso = lastDate.toISOString();
    }
    received[i] = lastIso;
    if (event.name === "Charged") {
      buyers ??= new Array<string | null>(n).fill(null);
      buyers[i] = JSON.stringify(purchaseKeys([event]) ?? []);
    }
    // string_to_array('') is no element at all: an empty value would lose its row.
    if (shop === "" || event.id === "" || shop.includes("\n") || event.id.includes("\n")) joinable = false;
  }
  if (!joinable || buyers) {
    // purchase_keys: what a due step of the buyer waits for (campaigns/decide-due.ts).
    await db.execute(sql`
      insert into event_inbox (shop, event_id, body, received_at, purchase_keys)
      select s, i, b, r, case when k is null then null else array(select jsonb_array_elements_text(k::jsonb)) end
      from unnest(${sql.param(shops)}::text[], ${sql.param(ids)}::text[], ${sql.param(bodies)}::text[], ${sql.param(received)}::timestamptz[],
        ${sql.param(buyers ?? new Array<string | null>(n).fill(null))}::text[]) as t(s, i, b, r, k)`);
    return;
  }
  const column = (values: string[]) => sql`string_to_array(${sql.param(values.join("\n"))}::text, chr(10))`;
  await db.execute(sql`
    insert into event_inbox (shop, event_id, body, received_at)
    select * from unnest(${column(shops)}, ${column(ids)}, ${column(bodies)}, ${column(received)}::timestamptz[])`);
}

/**
 * One drain applies a shop at a time: a transaction-scoped lock the applying transaction
 * holds until it commits, so another drain skips the shop rather than apply later rows first.
 */
export async function tryLockShop(tx: Db, shop: string): Promise<boolean> {
  const result = (await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext(${`cartback:event-inbox:${shop}`})) as ok`)) as unknown as { rows: { ok: boolean }[] };
  return result.rows[0]?.ok === true;
}

/**
 * Deletes and returns a shop's oldest available rows (or the given ones): the deletion commits
 * with the apply or not at all, so a crash or a failed apply leaves every row waiting.
 */
export async function takeRows(tx: Db, shop: string, limit: number, ids?: readonly number[]): Promise<TakenRow[]> {
  const only = ids ? sql`and id = any(${sql.param([...ids])}::bigint[])` : sql``;
  const result = (await tx.execute(sql`
    delete from event_inbox where shop = ${shop} and id in (
      select id from event_inbox where shop = ${shop} and available_at <= now() ${only} order by id limit ${limit})
    returning id, body, attempts`)) as unknown as { rows: { id: string | number; body: string; attempts: number }[] };
  return result.rows
    .map((r) => ({ id: Number(r.id), event: reviveEvent(shop, r.body), attempts: Number(r.attempts) }))
    .sort((a, b) => a.id - b.id);
}

/** Shops with available rows, oldest first (a bounded look at the queue's head). */
export async function waitingShops(db: Db, limit: number): Promise<string[]> {
  // Spans shops on purpose: the drain looks for work of every shop, then applies one shop per transaction.
  const result = (await db.execute(sql`
    select shop from (select shop, id from event_inbox where available_at <= now() order by available_at limit 5000) head
    group by shop order by min(id) limit ${limit}`)) as unknown as { rows: { shop: string }[] };
  return result.rows.map((r) => r.shop);
}

/** A row whose apply failed on its own: tried again after `retryMs`, the error kept for /healthz. */
export async function markFailed(db: Db, shop: string, ids: readonly number[], retryMs: number, error: string): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    update event_inbox set attempts = attempts + 1, last_error = ${error.slice(0, 500)},
      available_at = now() + ${retryMs} * interval '1 millisecond'
    where shop = ${shop} and id = any(${sql.param([...ids])}::bigint[])`);
}

export interface EventBacklog {
  waiting: number;
  oldestSeconds: number | null;
  failing: number;
}

/** What /healthz shows: events acknowledged and not applied yet (of one shop when self-hosted). */
export async function eventBacklog(db: Db, shop?: string): Promise<EventBacklog> {
  const result = (await db.execute(sql`
    select count(*)::int as waiting, count(*) filter (where last_error is not null)::int as failing,
      extract(epoch from now() - min(received_at))::float8 as oldest
    from event_inbox ${shop ? sql`where shop = ${shop}` : sql``}`)) as unknown as { rows: { waiting: number; failing: number; oldest: number | null }[] };
  const row = result.rows[0];
  return { waiting: Number(row?.waiting ?? 0), failing: Number(row?.failing ?? 0), oldestSeconds: row?.oldest == null ? null : Math.round(Number(row.oldest)) };
}

/** A stored body back to the validated event it was (its dates were written as ISO strings). */
export function reviveEvent(shop: string, body: string): CartEvent {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  return { ...parsed, shop, occurredAt: new Date(parsed.occurredAt as string), receivedAt: new Date(parsed.receivedAt as string) } as CartEvent;
}
