import type { Db } from "@cartback/db";
import { type SQL, sql } from "drizzle-orm";
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
 * Both statements are shared by the sends of a worker that reach them at the same moment: one
 * statement per group (the sends that arrived while the previous one ran), not one per email.
 */
export async function fenceLease(db: Db, send: SendRow, token: Date, now: Date, leaseMs: number): Promise<Date | null> {
  const renew = token.getTime() - now.getTime() <= leaseMs / 2;
  const lease = renew ? new Date(now.getTime() + leaseMs) : token;
  const ours = await groupsOf(db).fence.submit({ id: send.id, shop: send.shop, token, lease, renew });
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

async function fenceGroup(db: Db, items: FenceItem[]): Promise<boolean[]> {
  const values = items.map((i) => sql`(${i.id}::text, ${i.shop}::text, ${i.token.toISOString()}::timestamptz, ${i.lease.toISOString()}::timestamptz, ${i.renew}::boolean)`);
  // One statement, two kinds: sends whose lease needs renewing are updated, the others only read.
  const rows = await rowsOf<{ id: string }>(db, sql`
    with v(id, shop, token, lease, renew) as (values ${listOf(values)}),
    renewed as (
      update campaign_sends c set next_attempt_at = v.lease
      from v
      where v.renew and c.shop = v.shop and c.id = v.id and c.status = 'sending' and c.next_attempt_at = v.token
      returning c.id
    )
    select id from renewed
    union all
    select c.id from campaign_sends c join v on c.shop = v.shop and c.id = v.id
    where not v.renew and c.status = 'sending' and c.next_attempt_at = v.token`);
  const ours = new Set(rows.map((r) => r.id));
  return items.map((i) => ours.has(i.id));
}

async function sentGroup(db: Db, items: SentItem[]): Promise<undefined[]> {
  const values = items.map(({ send, done }) =>
    sql`(${send.id}::text, ${send.shop}::text, ${done.at.toISOString()}::timestamptz, ${done.attempts}::int, ${done.raw}::text, ${done.transport}::text, ${done.reason}::text, ${done.detail}::text)`);
  await db.execute(sql`
    with v(id, shop, at, attempts, raw, transport, reason, detail) as (values ${listOf(values)}),
    s as (
      update campaign_sends c
      set status = 'sent', sent_at = v.at, attempts = v.attempts, raw = v.raw, transport = v.transport,
          last_error = null, next_attempt_at = null
      from v
      where c.shop = v.shop and c.id = v.id and c.status = 'sending'
      returning c.shop, c.profile_id, c.campaign_id, c.episode_id, c.step, c.variant, v.reason, v.detail, v.at
    )
    insert into campaign_decisions (shop, profile_id, campaign_id, episode_id, step, variant, outcome, reason, detail, at)
    select shop, profile_id, campaign_id, episode_id, step, variant, 'sent', reason, detail, at from s`);
  return items.map(() => undefined);
}

const listOf = (rows: SQL[]) => sql.join(rows, sql.raw(", "));

async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return (result as { rows?: T[] }).rows ?? (result as unknown as T[]);
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
      if (!this.busy) void this.flush();
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

const groups = new WeakMap<Db, { fence: Grouped<FenceItem, boolean>; sent: Grouped<SentItem, undefined> }>();

function groupsOf(db: Db) {
  let g = groups.get(db);
  if (!g) {
    g = { fence: new Grouped((items) => fenceGroup(db, items)), sent: new Grouped((items) => sentGroup(db, items)) };
    groups.set(db, g);
  }
  return g;
}
