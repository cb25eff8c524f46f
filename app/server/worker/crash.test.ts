import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Database, type Db, openDatabase } from "@cartback/db";
import { randomShop } from "@cartback/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDefaultCampaign } from "../campaigns/repository.ts";
import { type SmtpSink, startSmtpSink } from "../mail/testing.ts";
import { insertDueEpisodes, spawnFixtureWorker, type WorkerProcess } from "./process-testing.ts";

const SENDS = Number(process.env.CARTBACK_CRASH_SENDS ?? 1000);
const LEASE_MS = 1500;
/**
 * A duplicate is only excusable when its first delivery was this close to a kill: acknowledged
 * just before it (the "sent" commit never happened), or fully transmitted by the dying worker
 * and accepted by the relay just after it.
 */
const WINDOW_MS = 250;

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink({ parse: false });
});
afterAll(() => sink.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sentCount(database: Database, shop: string): Promise<number> {
  const { rows } = await database.query("select count(*)::int as n from campaign_sends where shop = $1 and status = 'sent'", [shop]);
  return Number(rows[0]!.n);
}

interface Target {
  name: string;
  /** PGlite's files are opened by one process at a time: the test closes its handle while a worker runs. */
  exclusive: boolean;
  env: Record<string, string>;
  open(): Promise<Database>;
}

async function targets(): Promise<Target[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "cartback-crash-"));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const list: Target[] = [
    { name: "pglite", exclusive: true, env: { CARTBACK_DATA_DIR: dir }, open: () => openDatabase({ dataDir: dir }) },
  ];
  const url = process.env.TEST_DATABASE_URL;
  if (url) list.push({ name: "postgres", exclusive: false, env: { DATABASE_URL: url }, open: () => openDatabase({ url, poolSize: 2 }) });
  return list;
}

describe("worker crash safety", async () => {
  for (const target of await targets()) {
    it(`loses none of ${SENDS} due emails when the worker is SIGKILLed at random moments, and re-sends (same Message-ID) only those in flight at a kill [${target.name}]`, { timeout: 240_000 }, async () => {
      const shop = randomShop("crash");
      let database = await target.open();
      const campaign = await ensureDefaultCampaign(database.db as Db, shop);
      await insertDueEpisodes(database, shop, campaign.id, SENDS);
      if (target.exclusive) await database.close();
      const env = { ...target.env, SMTP_URL: sink.url, CARTBACK_ONLY_SHOP: shop, CARTBACK_LEASE_MS: String(LEASE_MS), CARTBACK_POLL_MS: "50" };
      const kills: number[] = [];
      const before = sink.accepted.length;
      const mine = () => sink.accepted.slice(before);
      for (let round = 0; round < 5; round++) {
        const worker: WorkerProcess = spawnFixtureWorker(env);
        await worker.ready;
        // Kill while sends are in flight: after the first acceptance of this round, at a random point.
        const seen = mine().length;
        while (mine().length === seen && worker.child.exitCode === null) await sleep(5);
        await sleep(Math.random() * 300);
        worker.child.kill("SIGKILL");
        kills.push(performance.now());
        await worker.exited;
      }
      const last = spawnFixtureWorker(env);
      await last.ready;
      let done = false;
      const deadline = Date.now() + 120_000;
      if (!target.exclusive) {
        while (Date.now() < deadline && (await sentCount(database, shop)) < SENDS) await sleep(200);
      } else {
        while (Date.now() < deadline && new Set(mine().map((m) => m.messageId)).size < SENDS) await sleep(200);
        await sleep(LEASE_MS + 500);
      }
      last.child.kill("SIGTERM");
      await last.exited;
      if (target.exclusive) database = await target.open();
      done = (await sentCount(database, shop)) === SENDS;
      const { rows } = await database.query("select count(*)::int as n, count(distinct idempotency_key)::int as k from campaign_sends where shop = $1", [shop]);
      await database.close();

      expect(done).toBe(true);
      expect(rows[0]).toEqual({ n: SENDS, k: SENDS });
      const first = new Map<string, number>();
      const duplicates: string[] = [];
      for (const m of mine()) {
        if (first.has(m.messageId)) duplicates.push(m.messageId);
        else first.set(m.messageId, m.at);
      }
      expect(first.size).toBe(SENDS);
      // The only duplicates allowed: deliveries in flight at a kill, whose "sent" commit the kill
      // prevented. Anything else is a bug.
      const unexplained = duplicates.filter((id) => !kills.some((k) => Math.abs(k - first.get(id)!) < WINDOW_MS));
      if (process.env.CARTBACK_REPORT) {
        const t0 = mine()[0]?.at ?? 0;
        process.stderr.write(`kills ${kills.map((k) => Math.round(k - t0)).join(",")}\n`);
        for (const id of unexplained) process.stderr.write(`${id} at ${mine().filter((m) => m.messageId === id).map((m) => Math.round(m.at - t0)).join(",")}\n`);
      }
      expect(unexplained).toEqual([]);
      expect(duplicates.length).toBeLessThanOrEqual(kills.length * 16);
      if (process.env.CARTBACK_REPORT) process.stderr.write(`[${target.name}] kills=${kills.length} duplicates=${duplicates.length}\n`);
    });
  }
});
