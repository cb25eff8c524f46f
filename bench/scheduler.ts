/**
 * `npm run bench:scheduler`: the campaign worker against PostgreSQL with 1,000,000 pending
 * episodes, 100,000 of them coming due within one minute, delivered to a local SMTP sink.
 * Reports sends/s, lateness (sent − due) p50/p99, worker RSS at 10k and at 1M pending, and,
 * as the baseline measured in the same run, the raw SMTP rate (nodemailer pool → the same
 * sink, same message, no database). Writes bench/results/scheduler.md.
 *
 * BENCH_BACKLOG (capacity: a backlog all due at once, default 20,000), BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cartback_bench; the database
 * is created and its campaign tables emptied), BENCH_PENDING, BENCH_DUE, BENCH_WINDOW_S,
 * BENCH_WORKERS (worker processes, default 1), BENCH_CONCURRENCY (its delivery slots, default 16), BENCH_OUT (where the section goes, default
 * bench/results/scheduler.md), BENCH_TITLE (a note after the heading, e.g. which code ran).
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Campaign } from "@cartback/core/campaign/campaign";
import { type Database, type Db, openDatabase } from "@cartback/db";
import { composeMessage } from "../app/server/campaigns/compose.ts";
import { ensureDefaultCampaign } from "../app/server/campaigns/repository.ts";
import { loadShopContext } from "../app/server/campaigns/shop-context.ts";
import { createSmtpTransport } from "../app/server/mail/smtp.ts";
import { fixtureProfile } from "../app/server/worker/fixture-worker.ts";
import { runLimited } from "../app/server/worker/pool.ts";
import { spawnFixtureWorker, type WorkerProcess } from "../app/server/worker/process-testing.ts";
import { type Run, renderSection } from "./scheduler-report.ts";
import { ROOT, SHOP, ensureDatabase, insertEpisodes, procStats, sleep, startSinkProcess } from "./scheduler-support.ts";

const URL_ = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/cartback_bench";
const PENDING = Number(process.env.BENCH_PENDING ?? 1_000_000);
const DUE = Number(process.env.BENCH_DUE ?? 100_000);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 60);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const BASELINE_N = Number(process.env.BENCH_BASELINE_N ?? 5_000);
/** Capacity: a backlog of this many, all due at once, with PENDING in the table (the figure issue 18's target is judged on). */
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 20_000);
let baselineRuns = 0;
/** CPU seconds this process spent in the baseline runs (the raw client alone: the sink is its own process). */
let baselineCpuS = 0;
let baselineSent = 0;
/** The worker's delivery slots (its default, and the ceiling's messages in flight, is 16). */
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? "16";
/** The fixture worker's MAIL_FROM (process-testing.ts): a shop with no sender sends nothing. */
const BENCH_FROM = "Cartback Test <carts@cartback.test>";
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);


/** Waits until `expected` sends of the given due range are sent, sampling the workers' RSS. */
async function observe(database: Database, workers: WorkerProcess[], expected: number, fromDue: Date, timeoutS: number): Promise<Run> {
  const rss: number[] = [];
  const deadline = Date.now() + timeoutS * 1000;
  const cpu0 = workers.reduce((a, w) => a + procStats(w.child.pid!).cpuS, 0);
  let sent = 0;
  while (Date.now() < deadline) {
    rss.push(Math.max(...workers.map((w) => procStats(w.child.pid!).rssMb)));
    const { rows } = await database.query("select count(*)::int as n from campaign_sends where status = 'sent' and due_at >= $1", [fromDue]);
    sent = Number(rows[0]!.n);
    if (sent >= expected) break;
    await sleep(1000);
  }
  const cpuS = workers.reduce((a, w) => a + procStats(w.child.pid!).cpuS, 0) - cpu0;
  const { rows } = await database.query(
    `select count(*)::int as n,
            extract(epoch from max(sent_at) - min(sent_at))::float as span,
            percentile_cont(0.5) within group (order by extract(epoch from sent_at - due_at)) as p50,
            percentile_cont(0.99) within group (order by extract(epoch from sent_at - due_at)) as p99,
            max(extract(epoch from sent_at - due_at))::float as max
     from campaign_sends where status = 'sent' and due_at >= $1`,
    [fromDue],
  );
  const r = rows[0]!;
  const seconds = Number(r.span);
  return { sent: Number(r.n), seconds, rate: Number(r.n) / Math.max(seconds, 0.001), p50: Number(r.p50), p99: Number(r.p99), max: Number(r.max), rssMb: rss, cpuS };
}

interface Workers {
  start(): Promise<WorkerProcess[]>;
  stop(ws: WorkerProcess[]): Promise<void>;
}

function workerPool(sinkUrl: string): Workers {
  const env = { DATABASE_URL: URL_, DATABASE_POOL_SIZE: "8", SMTP_URL: sinkUrl, CARTBACK_POLL_MS: "100", CARTBACK_BATCH: "200", CARTBACK_CONCURRENCY: CONCURRENCY };
  return {
    async start() {
      const ws = Array.from({ length: WORKERS }, () => spawnFixtureWorker(env));
      await Promise.all(ws.map((w) => w.ready));
      return ws;
    },
    async stop(ws) {
      for (const w of ws) w.child.kill("SIGTERM");
      await Promise.all(ws.map((w) => w.exited));
    },
  };
}

/**
 * The same message straight through the worker's SMTP transport, no database, no decisions:
 * the ceiling. Measured before the worker runs and again right after its main scenario, so a
 * change in the shared machine's load between the two shows instead of skewing the ratio.
 */
async function baselineRate(database: Database, campaign: Campaign, sinkUrl: string): Promise<number> {
  const message = composeMessage({
    appUrl: "http://localhost:3000", appSecret: "bench", mailFrom: BENCH_FROM, shop: await loadShopContext(database.db as Db, SHOP),
    campaign, step: 0, profile: fixtureProfile(SHOP, "p0"), email: "p0@example.com", sendId: "00000000-0000-0000-0000-000000000000", catalogRows: [],
  });
  if (message.type !== "ok") throw new Error(message.message);
  // The worker's transport exactly: createMailTransport → createSmtpTransport({ url }) with its
  // default pool (5 connections), and the worker's default 16 deliveries in flight.
  const smtp = createSmtpTransport({ url: sinkUrl });
  const n = BASELINE_N;
  // Distinct Message-IDs in every baseline run: the sink's duplicate count stays the worker's.
  const run = ++baselineRuns;
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  await runLimited(Array.from({ length: n }, (_, i) => i), 16, async (i) => {
    await smtp.send({ ...message.message, messageId: `<b${run}-${i}@localhost>`, to: `b${i}@example.com` });
  }, () => {});
  const rate = n / ((performance.now() - t) / 1000);
  const cpu = process.cpuUsage(cpu0);
  baselineCpuS += (cpu.user + cpu.system) / 1e6;
  baselineSent += n;
  await smtp.close();
  return rate;
}

/** 10k pending, a burst of 5k due now. */
async function smallScenario(database: Database, campaignId: string, pool: Workers) {
  await insertEpisodes(database, campaignId, "small", 1, 10_000, "now() + interval '1 day'");
  const workers = await pool.start();
  await sleep(3000);
  const idle = Math.max(...workers.map((w) => procStats(w.child.pid!).rssMb));
  const from = new Date();
  await insertEpisodes(database, campaignId, "burst", 1, 5_000, "now()");
  const run = await observe(database, workers, 5_000, new Date(from.getTime() - 60_000), 900);
  await pool.stop(workers);
  return { idle, run };
}

/** PENDING in all (far future), DUE of them spread over WINDOW_S seconds, then under capacity. */
async function largeScenarios(database: Database, campaignId: string, pool: Workers, ceiling: () => Promise<number>) {
  const t = performance.now();
  await insertEpisodes(database, campaignId, "far", 1, PENDING - DUE - 10_000, "now() + interval '1 day'");
  log(`inserted ${PENDING - DUE - 10_000} more pending in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  // Vacuumed and analysed now, as a table that grew over time would be: otherwise autovacuum takes
  // up the 1M-row table (on the same 2 cores) in the middle of the measured phases.
  await database.query("vacuum (analyze) campaign_episodes");
  log(`vacuumed in ${((performance.now() - t) / 1000).toFixed(0)} s since the insert began`);
  const workers = await pool.start();
  await sleep(3000);
  const idle = Math.max(...workers.map((w) => procStats(w.child.pid!).rssMb));
  let from = new Date(Date.now() + 2000);
  await insertEpisodes(database, campaignId, "due", 1, DUE, `'${from.toISOString()}'::timestamptz + ((g - 1) * interval '${(WINDOW_S * 1000) / DUE} milliseconds')`);
  const large = await observe(database, workers, DUE, from, 3600);
  log(`${PENDING} pending: ${large.rate.toFixed(0)}/s, p50 ${large.p50.toFixed(2)} s, p99 ${large.p99.toFixed(2)} s`);
  // Capacity: a backlog all due at once, same table; the arrival rate does not cap it.
  // Due now: every send of the main scenario was due (and sent) before this.
  from = new Date();
  await insertEpisodes(database, campaignId, "backlog", 1, BACKLOG, `'${from.toISOString()}'::timestamptz`);
  const capacity = await observe(database, workers, BACKLOG, from, 3600);
  log(`capacity, ${BACKLOG} due at once: ${capacity.rate.toFixed(0)}/s`);
  // The worker idles (nothing due) while the ceiling is measured again.
  const baselineAfter = await ceiling();
  log(`baseline again: raw SMTP ${baselineAfter.toFixed(0)} msg/s`);
  // Under capacity: half the measured rate (at most 500/s) for 30 s, same table.
  const rate = Math.max(10, Math.min(500, Math.floor(large.rate / 2)));
  from = new Date(Date.now() + 2000);
  await insertEpisodes(database, campaignId, "under", 1, rate * 30, `'${from.toISOString()}'::timestamptz + ((g - 1) * interval '${1000 / rate} milliseconds')`);
  const under = await observe(database, workers, rate * 30, from, 900);
  await pool.stop(workers);
  log(`under capacity ${rate}/s: p50 ${under.p50.toFixed(3)} s, p99 ${under.p99.toFixed(3)} s`);
  return { idle, large, capacity, under, rate, baselineAfter };
}

async function main() {
  await ensureDatabase(URL_);
  const database = await openDatabase({ url: URL_, poolSize: 4 });
  await database.query("truncate campaign_episodes, campaign_sends, campaign_decisions, suppressions, campaigns");
  const campaign = await ensureDefaultCampaign(database.db as Db, SHOP);
  const loadStart = os.loadavg();
  const sink = await startSinkProcess();
  const baseline = await baselineRate(database, campaign, sink.url);
  log(`baseline: raw SMTP ${baseline.toFixed(0)} msg/s`);
  const pool = workerPool(sink.url);
  const small = await smallScenario(database, campaign.id, pool);
  log(`10k pending: idle RSS ${small.idle.toFixed(0)} MB, burst ${small.run.rate.toFixed(0)}/s`);
  const large = await largeScenarios(database, campaign.id, pool, () => baselineRate(database, campaign, sink.url));
  const received = await sink.close();
  await database.close();
  const section = renderSection({ baseline, small, ...large, received, loadStart, loadEnd: os.loadavg(), rawCpuMsPerMessage: (baselineCpuS * 1000) / baselineSent }, { PENDING, DUE, WINDOW_S, WORKERS, BASELINE_N, BACKLOG });
  const out = process.env.BENCH_OUT ?? path.resolve(ROOT, "bench/results/scheduler.md");
  writeFileSync(out, section);
  process.stdout.write(section);
}

await main();
