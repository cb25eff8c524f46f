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
 * Fences and sent records of a worker's sends share statements: one statement carries all that
 * arrived while the previous one ran (both kinds), not one per email.
 */
export async function fenceLease(db: Db, send: SendRow, token: Date, now: Date, leaseMs: number): Promise<Date | null> {
  const renew = token.getTime() - now.getTime() <= leaseMs / 2;
  const lease = renew ? new Date(now.getTime() + leaseMs) : token;
  const ours = await groupOf(db).submit({ kind: "fence", id: send.id, shop: send.shop, token, lease, renew });
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
  await groupOf(db).submit({ kind: "sent", send, done });
}

interface FenceItem { kind: "fence"; id: string; shop: string; token: Date; lease: Date; renew: boolean }
interface SentItem { kind: "sent"; send: SendRow; done: SentRecord }
type Item = FenceItem | SentItem;

/**
 * One statement for a group: the sent records (update and decision) and the fences (renewed
 * leases updated, the others read), as CTEs of one query. A send is in a group once, as one kind.
 * Each kind's rows go as one JSON parameter (jsonb_to_recordset), so the text is one of three
 * fixed ones: prepared once per connection on PostgreSQL (no parse and plan per group), and no
 * bound parameter per column and row to build.
 */
async function runGroup(db: Db, items: Item[]): Promise<boolean[]> {
  const fences = items.filter((i): i is FenceItem => i.kind === "fence");
  const sent = items.filter((i): i is SentItem => i.kind === "sent");
  const shape = sent.length > 0 && fences.length > 0 ? "both" : sent.length > 0 ? "sent" : "fence";
  const values = [
    JSON.stringify(sent.map(({ send, done }) => ({
      id: send.id, shop: send.shop, at: done.at.toISOString(), attempts: done.attempts, raw: done.raw, transport: done.transport, reason: done.reason, detail: done.detail,
    }))),
    JSON.stringify(fences.map((i) => ({ id: i.id, shop: i.shop, token: i.token.toISOString(), lease: i.lease.toISOString(), renew: i.renew }))),
  ];
  const rows = await preparedRows<{ id: string }>(db, `cartback_lease_group_${shape}`, GROUP_TEXT[shape], values);
  const ours = new Set(rows.map((r) => r.id));
  return items.map((i) => i.kind === "sent" || ours.has(i.id));
}

const SENT_PART = `sv as (select * from jsonb_to_recordset($1::jsonb)
      as x(id text, shop text, at timestamptz, attempts int, raw text, transport text, reason text, detail text)),
    s as (
      update campaign_sends c
      set status = 'sent', sent_at = sv.at, attempts = sv.attempts, raw = sv.raw, transport = sv.transport,
          last_error = null, next_attempt_at = null
      from sv
      where c.shop = sv.shop and c.id = sv.id and c.status = 'sending'
      returning c.shop, c.profile_id, c.campaign_id, c.episode_id, c.step, c.variant, sv.reason, sv.detail, sv.at
    ),
    d as (
      insert into campaign_decisions (shop, profile_id, campaign_id, episode_id, step, variant, outcome, reason, detail, at)
      select shop, profile_id, campaign_id, episode_id, step, variant, 'sent', reason, detail, at from s
    )`;

const FENCE_PART = `fv as (select * from jsonb_to_recordset($2::jsonb) as x(id text, shop text, token timestamptz, lease timestamptz, renew boolean)),
    renewed as (
      update campaign_sends c set next_attempt_at = fv.lease
      from fv
      where fv.renew and c.shop = fv.shop and c.id = fv.id and c.status = 'sending' and c.next_attempt_at = fv.token
      returning c.id
    )`;

const FENCE_ROWS = `select id from renewed union all select c.id from campaign_sends c join fv on c.shop = fv.shop and c.id = fv.id
    where not fv.renew and c.status = 'sending' and c.next_attempt_at = fv.token`;

/** Every text takes both parameters (an unused one typed by a no-op), so one values list serves all three. */
const GROUP_TEXT = {
  sent: `with ${SENT_PART} select null::text as id where $2::jsonb is null`,
  fence: `with ${FENCE_PART} ${FENCE_ROWS.replace("where not fv.renew", "where $1::jsonb is not null and not fv.renew")}`,
  both: `with ${SENT_PART},\n    ${FENCE_PART} ${FENCE_ROWS}`,
};

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

const groups = new WeakMap<Db, Grouped<Item, boolean>>();

function groupOf(db: Db): Grouped<Item, boolean> {
  let g = groups.get(db);
  if (!g) {
    // A tested variant's send takes its episode's lock as it is marked sent (the A/B rollup's
    // trigger, migration 0026), in row order: against an order crediting two of the group's
    // episodes that can deadlock. The statement rolled back whole, so it is simply run again;
    // losing the sent record of a mail already out would send it twice.
    g = new Grouped((items) => retryConflicts(() => runGroup(db, items)));
    groups.set(db, g);
  }
  return g;
}
