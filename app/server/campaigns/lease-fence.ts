import { type Db, retryConflicts } from "@cartback/db";
import type { SendRow } from "./persist-outcomes.ts";

/**
 * The last word on a leased send before the transport gets it, and the record of its delivery.
 *
 * A send's lease is its `next_attempt_at`: a worker that claims it sets a new expiry, and only the
 * holder of the current expiry may hand it to SMTP. A worker that stalled past its lease (a starved
 * event loop, a slow database) and was overtaken by another must not send too, so right before the
 * handoff the lease is checked: same status, same expiry (the token). A later claim always sets a
 * later expiry (it happens after this one ran out), so two workers never hold the same token.
 * With more than half the lease left the check is a read: nobody may claim the send for that
 * long, far longer than the transport's whole-send deadline. With less, the lease is taken again
 * by a conditional update (a whole `leaseMs` from then). What remains is a worker frozen for that
 * long between its check and the relay's 250, or a crash between the 250 and `recordSent` (SMTP
 * is not transactional); both re-send under the same Message-ID.
 *
 * Fences and sent records of a worker's sends are grouped: one statement carries all the fences
 * (or all the sent records) that arrived while the previous one of its kind ran, not one per
 * email. The two kinds run side by side: a fence is a read (no commit to wait for) and a send's
 * delivery slot waits for it, so it does not queue behind the sent records' commits.
 */
export async function fenceLease(db: Db, send: SendRow, token: Date, now: Date, leaseMs: number): Promise<Date | null> {
  const renew = token.getTime() - now.getTime() <= leaseMs / 2;
  const lease = renew ? new Date(now.getTime() + leaseMs) : token;
  const ours = await groupsOf(db).fences.submit({ id: send.id, shop: send.shop, token, lease, renew });
  return ours ? lease : null;
}

export interface SentRecord {
  at: Date;
  attempts: number;
  raw: string | null;
  transport: string;
  reason: string | null;
  detail: string | null;
}

/**
 * Marks the send sent and records the decision. Whoever holds the lease now: the email is out, and
 * a worker that took the send over and has not reached its fence yet then stands down there.
 */
export async function recordSent(db: Db, send: SendRow, done: SentRecord): Promise<void> {
  await groupsOf(db).sent.submit({ send, done });
}

interface FenceItem { id: string; shop: string; token: Date; lease: Date; renew: boolean }
interface SentItem { send: SendRow; done: SentRecord }

/**
 * One statement per group of one kind: the sent records (update and decision), or the fences
 * (renewed leases updated, the others read), as CTEs. The group's rows go as one JSON parameter
 * (jsonb_to_recordset), so each kind's text is fixed: prepared once per connection on
 * PostgreSQL (no parse and plan per group), and no bound parameter per column and row to build.
 */
async function runSent(db: Db, items: SentItem[]): Promise<boolean[]> {
  const values = [JSON.stringify(items.map(({ send, done }) => ({
    id: send.id, shop: send.shop, at: done.at.toISOString(), attempts: done.attempts, raw: done.raw, transport: done.transport, reason: done.reason, detail: done.detail,
  })))];
  await preparedRows(db, "cartback_lease_sent", SENT_TEXT, values);
  return items.map(() => true);
}

async function runFences(db: Db, items: FenceItem[]): Promise<boolean[]> {
  const values = [JSON.stringify(items.map((i) => ({ id: i.id, shop: i.shop, token: i.token.toISOString(), lease: i.lease.toISOString(), renew: i.renew })))];
  const rows = await preparedRows<{ id: string }>(db, "cartback_lease_fence", FENCE_TEXT, values);
  const ours = new Set(rows.map((r) => r.id));
  return items.map((i) => ours.has(i.id));
}

const SENT_TEXT = `with sv as (select * from jsonb_to_recordset($1::jsonb)
      as x(id text, shop text, at timestamptz, attempts int, raw text, transport text, reason text, detail text)),
    s as (
      update campaign_sends c
      set status = 'sent', sent_at = sv.at, attempts = sv.attempts, raw = sv.raw, transport = sv.transport,
          last_error = null, next_attempt_at = null
      from sv
      where c.shop = sv.shop and c.id = sv.id and c.status = 'sending'
      returning c.shop, c.profile_id, c.campaign_id, c.episode_id, c.step, c.variant, sv.reason, sv.detail, sv.at
    )
    insert into campaign_decisions (shop, profile_id, campaign_id, episode_id, step, variant, outcome, reason, detail, at)
    select shop, profile_id, campaign_id, episode_id, step, variant, 'sent', reason, detail, at from s`;

const FENCE_TEXT = `with fv as (select * from jsonb_to_recordset($1::jsonb) as x(id text, shop text, token timestamptz, lease timestamptz, renew boolean)),
    renewed as (
      update campaign_sends c set next_attempt_at = fv.lease
      from fv
      where fv.renew and c.shop = fv.shop and c.id = fv.id and c.status = 'sending' and c.next_attempt_at = fv.token
      returning c.id
    )
    select id from renewed union all select c.id from campaign_sends c join fv on c.shop = fv.shop and c.id = fv.id
    where not fv.renew and c.status = 'sending' and c.next_attempt_at = fv.token`;

interface RawClient {
  query(text: string | { name: string; text: string; values: unknown[] }, values?: unknown[]): Promise<{ rows: unknown[] }>;
  totalCount?: number;
}

/**
 * Runs a fixed statement on the database's own client: a named (prepared) statement on a
 * node-postgres pool, a plain parameterised query on PGlite.
 */
async function preparedRows<T>(db: Db, name: string, text: string, values: unknown[]): Promise<T[]> {
  const client = (db as unknown as { $client?: RawClient }).$client;
  if (!client) throw new Error("lease-fence: the database handle has no client");
  const result = typeof client.totalCount === "number" ? await client.query({ name, text, values }) : await client.query(text, values);
  return result.rows as T[];
}

/** At most this many sends in one statement (the groups stay far below it: deliveries in flight). */
const GROUP_MAX = 500;

/** Runs one statement for all the requests that arrived while the previous statement ran. */
class Grouped<T, R> {
  private waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private busy = false;

  constructor(private readonly run: (items: T[]) => Promise<R[]>) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.busy) {
        // Started on the next turn of the event loop: the SMTP replies and fences that arrive in
        // the same turn (the deliveries run side by side) share the first statement too.
        this.busy = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.busy = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, GROUP_MAX);
      try {
        const results = await this.run(group.map((g) => g.item));
        for (const [i, g] of group.entries()) g.resolve(results[i]!);
      } catch (error) {
        for (const g of group) g.reject(error);
      }
    }
    this.busy = false;
  }
}

const groups = new WeakMap<Db, { fences: Grouped<FenceItem, boolean>; sent: Grouped<SentItem, boolean> }>();

function groupsOf(db: Db) {
  let g = groups.get(db);
  if (!g) {
    // A tested variant's send takes its episode's lock as it is marked sent (the A/B rollup's
    // trigger, migration 0026), in row order: against an order crediting two of the group's
    // episodes that can deadlock. The statement rolled back whole, so it is simply run again;
    // losing the sent record of a mail already out would send it twice.
    g = {
      fences: new Grouped((items) => retryConflicts(() => runFences(db, items))),
      sent: new Grouped((items) => retryConflicts(() => runSent(db, items))),
    };
    groups.set(db, g);
  }
  return g;
}
