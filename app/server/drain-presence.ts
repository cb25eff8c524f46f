import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { performance } from "node:perf_hooks";
import { appState, type Database } from "@cartback/db";
import { and, count, gt, like, lt, sql } from "drizzle-orm";
import type { Logger } from "./logger.ts";

/**
 * Processes running the inboxes' drains say so: one app_state row each (`drains:<host>:<pid>:<id>`),
 * renewed every RENEW_MS and deleted at stop. A web process without drains of its own
 * (CARTBACK_WORKER=off, the scale-out web tier) queues a burst only while such a row is fresh:
 * queued rows wait for a drain, and with none running anywhere they would wait for good.
 * Times are the database's, so the processes' clocks need not agree.
 */
const PREFIX = "drains:";
const RENEW_MS = 5_000;
/** A row not renewed for this long belongs to a process that is gone (killed, cut off): not counted. */
const FRESH_SECONDS = 15;
/** Rows of processes gone this long are removed by whoever renews. */
const FORGET_SECONDS = 86_400;
/** A web process reads the rows at most this often. */
const READ_EVERY_MS = 2_000;

export interface DrainAnnouncement {
  stop(): Promise<void>;
}

export function announceDrains(database: Database, logger: Logger): DrainAnnouncement {
  const { db } = database;
  const key = `${PREFIX}${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const renew = async () => {
    await db.insert(appState).values({ key, value: "webhooks,events", updatedAt: sql`now()` }).onConflictDoUpdate({ target: appState.key, set: { updatedAt: sql`now()` } });
    await db.delete(appState).where(and(like(appState.key, `${PREFIX}%`), lt(appState.updatedAt, sql`now() - make_interval(secs => ${FORGET_SECONDS})`)));
  };
  const renewing = () =>
    renew().catch((error: unknown) => logger.warn({ err: error }, "could not renew this process's drain announcement; web processes without a drain answer bursts inline meanwhile"));
  let last = renewing();
  const timer = setInterval(() => {
    last = renewing();
  }, RENEW_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await last;
      await db.delete(appState).where(sql`${appState.key} = ${key}`).catch(() => {});
    },
  };
}

/** Processes whose drains renewed their row within FRESH_SECONDS (/healthz shows it). */
export async function runningDrains(database: Database): Promise<number> {
  const [row] = await database.db
    .select({ n: count() })
    .from(appState)
    .where(and(like(appState.key, `${PREFIX}%`), gt(appState.updatedAt, sql`now() - make_interval(secs => ${FRESH_SECONDS})`)));
  return row?.n ?? 0;
}

interface Seen {
  running: boolean;
  readAt: number;
  reading: boolean;
}
const seen = new WeakMap<Database, Seen>();

/**
 * Whether drains ran somewhere at the last read, at most READ_EVERY_MS old. Never waits: a stale
 * answer starts a read and is used meanwhile (the first call of a process says no).
 */
export function drainsRunning(database: Database): boolean {
  let state = seen.get(database);
  if (!state) {
    state = { running: false, readAt: Number.NEGATIVE_INFINITY, reading: false };
    seen.set(database, state);
  }
  if (!state.reading && performance.now() - state.readAt >= READ_EVERY_MS) {
    const current = state;
    current.reading = true;
    runningDrains(database)
      .then((n) => (current.running = n > 0), () => (current.running = false))
      .finally(() => {
        current.readAt = performance.now();
        current.reading = false;
      });
  }
  return state.running;
}
