/**
 * The capacity row of `npm run bench:scheduler` alone, for iterating on the worker (~2–3 min
 * instead of ~10): PENDING episodes in the table (default 1,000,000), the raw SMTP ceiling,
 * BACKLOG (20,000) due at once, the ceiling again. Prints the ratio; writes no results file.
 *
 * BENCH_SAMPLE_MS (default 20): the worker's PostgreSQL connections are sampled from
 * pg_stat_activity at this interval during the capacity phase; the tally says where its
 * connections spend their time (running which statement, waiting on which lock, idle in a
 * transaction while the worker computes, or idle in the pool). BENCH_REUSE=1 keeps the pending
 * episodes of an earlier quick run (same database) instead of inserting them again.
 * BENCH_PRIOR_SENDS (default 105,000): sent emails of the past few minutes in the outbox (each with
 * the dead row version its sending → sent update leaves, as in the full bench) before
 * the backlog comes due, as the full bench has by then (its burst and main scenario); the
 * rules read the recent outbox (new-recipient breaker, frequency caps). BENCH_WORKERS (default
 * 1) worker processes, their CPU summed.
 */
import type { Campaign } from "@cartback/core/campaign/campaign";
import { type Database, type Db, openDatabase } from "@cartback/db";
import { composeMessage } from "../app/server/campaigns/compose.ts";
import { ensureDefaultCampaign } from "../app/server/campaigns/repository.ts";
import { loadShopContext } from "../app/server/campaigns/shop-context.ts";
import { createSmtpTransport } from "../app/server/mail/smtp.ts";
import { fixtureProfile } from "../app/server/worker/fixture-worker.ts";
import { runLimited } from "../app/server/worker/pool.ts";
import { spawnFixtureWorker } from "../app/server/worker/process-testing.ts";
import { SHOP, ensureDatabase, insertEpisodes, procStats, sleep, startSinkProcess } from "./scheduler-support.ts";
import { postgresCpuS } from "./support/proc.ts";

const URL_ = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/cartback_bench_quick";
const PENDING = Number(process.env.BENCH_PENDING ?? 1_000_000);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 20_000);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? "16";
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const SAMPLE_MS = Number(process.env.BENCH_SAMPLE_MS ?? 20);
const PRIOR_SENDS = Number(process.env.BENCH_PRIOR_SENDS ?? 105_000);
const APP = "cartback-bench-worker";
/** CPU per message (ms) of each process taking part, over `n` messages. */
const perMessage = (cpuS: Record<string, number>, n: number) =>
  Object.entries(cpuS).map(([who, s]) => `${who} ${((s * 1000) / n).toFixed(3)}`).join(", ");

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

async function ceiling(database: Database, campaign: Campaign, sink: { url: string; pid: number }, run: number): Promise<number> {
  const sinkUrl = sink.url;
  const message = composeMessage({
    appUrl: "http://localhost:3000", appSecret: "bench", mailFrom: "Cartback Test <carts@cartback.test>", shop: await loadShopContext(database.db as Db, SHOP),
    campaign, step: 0, profile: fixtureProfile(SHOP, "p0"), email: "p0@example.com", sendId: "00000000-0000-0000-0000-000000000000", catalogRows: [],
  });
  if (message.type !== "ok") throw new Error(message.message);
  const smtp = createSmtpTransport({ url: sinkUrl });
  // Warmed up first (connections opened, code compiled): a cold first run read 40 % low.
  await runLimited(Array.from({ length: 500 }, (_, i) => i), 16, async (i) => {
    await smtp.send({ ...message.message, messageId: `<w${run}-${i}@localhost>`, to: `w${i}@example.com` });
  }, () => {});
  const t = performance.now();
  const cpu0 = { client: process.cpuUsage(), sink: procStats(sink.pid).cpuS, pg: postgresCpuS() };
  await runLimited(Array.from({ length: 5_000 }, (_, i) => i), 16, async (i) => {
    await smtp.send({ ...message.message, messageId: `<q${run}-${i}@localhost>`, to: `b${i}@example.com` });
  }, () => {});
  const rate = 5_000 / ((performance.now() - t) / 1000);
  const client = process.cpuUsage(cpu0.client);
  log(`ceiling ${run}: ${rate.toFixed(0)} msg/s; CPU ms per message: ${perMessage({ client: (client.user + client.system) / 1e6, sink: procStats(sink.pid).cpuS - cpu0.sink, postgres: postgresCpuS() - cpu0.pg }, 5_000)}`);
  await smtp.close();
  return rate;
}

/** Tallies the worker's connections by state, wait event and statement until `stop` is set. */
async function sampleActivity(database: Database, done: () => boolean): Promise<Map<string, number>> {
  const tally = new Map<string, number>();
  while (!done()) {
    const { rows } = await database.query(
      `select state, coalesce(wait_event_type || ':' || wait_event, '') as wait, regexp_replace(left(query, 70), '\\s+', ' ', 'g') as q
       from pg_stat_activity where application_name = $1`,
      [APP],
    );
    for (const r of rows as { state: string; wait: string; q: string }[]) {
      const key = r.state === "idle" ? "idle (in the pool)" : `${r.state} | ${r.wait} | ${r.q}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    tally.set("#samples", (tally.get("#samples") ?? 0) + 1);
    await sleep(SAMPLE_MS);
  }
  return tally;
}

async function main() {
  await ensureDatabase(URL_);
  const database = await openDatabase({ url: URL_, poolSize: 4 });
  const t0 = performance.now();
  if (process.env.BENCH_REUSE === "1") {
    await database.query("delete from campaign_episodes where id like 'backlog%'");
    await database.query("truncate campaign_sends, campaign_decisions");
  } else {
    await database.query("truncate campaign_episodes, campaign_sends, campaign_decisions, suppressions, campaigns");
  }
  const campaign = await ensureDefaultCampaign(database.db as Db, SHOP);
  if (process.env.BENCH_REUSE !== "1") {
    await insertEpisodes(database, campaign.id, "far", 1, PENDING - BACKLOG, "now() + interval '1 day'");
  }
  await database.query(
    `insert into campaign_sends (id, shop, campaign_id, episode_id, profile_id, step, idempotency_key, status, to_email, message, due_at, created_at, sent_at)
     select 'prior' || g, $1, $2, 'prior' || g, 'priorp' || g, 0, $2 || ':prior' || g || ':0', 'sending', 'prior' || g || '@example.com', '{}'::jsonb,
            now() - interval '5 minutes', now() - interval '5 minutes' + g * interval '1 millisecond', null
     from generate_series(1, $3::int) g`,
    [SHOP, campaign.id, PRIOR_SENDS],
  );
  // Then marked sent, as the worker does: each leaves a dead row version (no autovacuum has run
  // by the full bench's capacity phase), which the reads of the hour's sends step over.
  await database.query("update campaign_sends set status = 'sent', sent_at = created_at + interval '1 minute' where id like 'prior%'");
  await database.query("vacuum (analyze) campaign_episodes");
  log(`table ready in ${((performance.now() - t0) / 1000).toFixed(0)} s; load ${(await import("node:os")).loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  const sink = await startSinkProcess();
  const before = await ceiling(database, campaign, sink, 1);
  const workers = Array.from({ length: WORKERS }, () => spawnFixtureWorker({
    DATABASE_URL: URL_, DATABASE_POOL_SIZE: "8", SMTP_URL: sink.url, CARTBACK_POLL_MS: "100", CARTBACK_BATCH: "200", CARTBACK_CONCURRENCY: CONCURRENCY, PGAPPNAME: APP,
  }));
  await Promise.all(workers.map((w) => w.ready));
  const workersCpuS = () => workers.reduce((sum, w) => sum + procStats(w.child.pid!).cpuS, 0);
  await sleep(2000);
  const from = new Date();
  const cpu0 = workersCpuS();
  const others0 = { sink: procStats(sink.pid).cpuS, pg: postgresCpuS() };
  await insertEpisodes(database, campaign.id, "backlog", 1, BACKLOG, `'${from.toISOString()}'::timestamptz`);
  let finished = false;
  const sampling = sampleActivity(database, () => finished);
  for (;;) {
    const { rows } = await database.query("select count(*)::int as n from campaign_sends where status = 'sent' and due_at >= $1", [from]);
    if (Number(rows[0]!.n) >= BACKLOG) break;
    await sleep(500);
  }
  finished = true;
  const cpuS = workersCpuS() - cpu0;
  const others = { sink: procStats(sink.pid).cpuS - others0.sink, postgres: postgresCpuS() - others0.pg };
  const tally = await sampling;
  const { rows } = await database.query(
    `select count(*)::int as n, extract(epoch from max(sent_at) - min(sent_at))::float as span from campaign_sends where status = 'sent' and due_at >= $1`, [from]);
  const rate = Number(rows[0]!.n) / Number(rows[0]!.span);
  for (const w of workers) w.child.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.exited));
  const after = await ceiling(database, campaign, sink, 2);
  const received = await sink.close();
  await database.close();
  const samples = tally.get("#samples") ?? 1;
  tally.delete("#samples");
  const lines = [...tally].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, n]) => `  ${(n / samples).toFixed(2).padStart(6)}  ${k}`);
  process.stdout.write(
    `capacity ${rate.toFixed(0)}/s; ceiling ${before.toFixed(0)} / ${after.toFixed(0)} msg/s → ${(rate / ((before + after) / 2)).toFixed(2)}; ` +
      `${WORKERS} worker(s) CPU ${((cpuS * 1000) / BACKLOG).toFixed(3)} ms/email, ${((cpuS / Number(rows[0]!.span)) * 100).toFixed(0)} % of a core; sink ${received.accepted} / ${received.unique} distinct\n` +
      `CPU ms per email at capacity: ${perMessage({ worker: cpuS, ...others }, BACKLOG)} (this bench's own polling and sampling included in postgres)\n` +
      `worker connections, mean number in each state over ${samples} samples:\n${lines.join("\n")}\n`,
  );
}

await main();
