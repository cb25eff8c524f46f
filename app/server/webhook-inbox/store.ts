import type { Database, Db } from "@cartback/db";
import { webhookInbox } from "@cartback/db";
import { sql } from "drizzle-orm";

/**
 * The inbox's SQL: one INSERT per delivery before its answer, a short transaction to lease a
 * batch, one DELETE per batch of applied rows. Lease and availability use the database's
 * clock, so web processes and workers with drifting clocks agree on them.
 */
export interface InboxRow {
  id: number;
  shop: string;
  webhookId: string;
  topic: string;
  body: string;
  receivedAt: Date;
  attempts: number;
}

export interface NewDelivery {
  shop: string;
  webhookId: string;
  topic: string;
  body: string;
  receivedAt: Date;
  /** How long the drain leaves it to the process that stored it (0: the drain's at once). */
  holdMs: number;
  /** Its buyers' identity keys when it carries a purchase (core identity/stitch.ts `purchaseKeys`). */
  purchaseKeys?: string[] | null;
}

/**
 * Stores deliveries in one statement; for each, its row id, or null when the same delivery is
 * already waiting (a retry of one not yet applied) or named earlier in this batch.
 */
export async function storeDeliveries(db: Db, deliveries: readonly NewDelivery[]): Promise<(number | null)[]> {
  if (deliveries.length === 0) return [];
  const stored = await db
    .insert(webhookInbox)
    .values(deliveries.map(({ holdMs, ...row }) => ({ ...row, availableAt: sql`now() + ${holdMs} * interval '1 millisecond'` })))
    .onConflictDoNothing()
    .returning({ id: webhookInbox.id, shop: webhookInbox.shop, webhookId: webhookInbox.webhookId });
  const ids = new Map(stored.map((row) => [`${row.shop}\n${row.webhookId}`, row.id]));
  return deliveries.map((d) => {
    const key = `${d.shop}\n${d.webhookId}`;
    const id = ids.get(key) ?? null;
    ids.delete(key);
    return id;
  });
}

/** One lease at a time across every process (a short transaction); others try again next round. */
const LEASE_LOCK = 0x1b0c_4a11;
export const LEASE_MS = 60_000;

/**
 * Leases up to `limit` available rows, oldest first, of shops no other drain is applying, so
 * a shop's deliveries are applied by one drain at a time in the order they arrived. An
 * expired lease (a drain that crashed) makes its rows available again.
 */
export async function leaseBatch(database: Database, owner: string, limit: number): Promise<InboxRow[]> {
  return database.db.transaction(async (tx) => {
    const lock = (await tx.execute(sql`select pg_try_advisory_xact_lock(${LEASE_LOCK}) as ok`)) as unknown as { rows: { ok: boolean }[] };
    if (!lock.rows[0]?.ok) return [];
    const leased = (await tx.execute(sql`
      update webhook_inbox set lease_owner = ${owner}, attempts = attempts + 1,
        available_at = now() + ${LEASE_MS} * interval '1 millisecond'
      where id in (
        select i.id from webhook_inbox i
        where i.available_at <= now()
          and not exists (select 1 from webhook_inbox b where b.shop = i.shop and b.lease_owner is not null and b.available_at > now())
        order by i.id
        limit ${limit})
      returning id, shop, webhook_id, topic, body, received_at, attempts`)) as unknown as { rows: Record<string, unknown>[] };
    return leased.rows
      .map((r) => ({
        id: Number(r.id),
        shop: String(r.shop),
        webhookId: String(r.webhook_id),
        topic: String(r.topic),
        body: String(r.body),
        receivedAt: new Date(r.received_at as string | Date),
        attempts: Number(r.attempts),
      }))
      .sort((a, b) => a.id - b.id);
  });
}

/** Applied (or nothing to apply): gone. */
export async function deleteRows(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`delete from webhook_inbox where id = any(${`{${ids.join(",")}}`}::bigint[])`);
}

/** A failed apply: available again after `retryMs`, the error kept for /healthz and logs. */
export async function releaseRows(db: Db, ids: readonly number[], retryMs: number, error: string): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    update webhook_inbox set lease_owner = null, last_error = ${error.slice(0, 500)},
      available_at = now() + ${retryMs} * interval '1 millisecond'
    where id = any(${`{${ids.join(",")}}`}::bigint[])`);
}

export interface Backlog {
  waiting: number;
  oldestSeconds: number | null;
  failing: number;
}

/** What /healthz shows: deliveries acknowledged and not yet applied (of one shop when self-hosted). */
export async function inboxBacklog(db: Db, shop?: string): Promise<Backlog> {
  const result = (await db.execute(sql`
    select count(*)::int as waiting, count(*) filter (where last_error is not null)::int as failing,
      extract(epoch from now() - min(received_at))::float8 as oldest
    from webhook_inbox ${shop ? sql`where shop = ${shop}` : sql``}`)) as unknown as { rows: { waiting: number; failing: number; oldest: number | null }[] };
  const row = result.rows[0];
  return { waiting: Number(row?.waiting ?? 0), failing: Number(row?.failing ?? 0), oldestSeconds: row?.oldest == null ? null : Math.round(Number(row.oldest)) };
}
