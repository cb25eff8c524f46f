/**
 * `npm run bench:webhooks`: signed Shopify webhooks (carts/update, checkouts/create,
 * orders/create, in journey order) at a fixed rate against the app started as `npm start`
 * does (child process, PostgreSQL, worker inline, a campaign configured), while the events
 * API runs at half the capacity measured just before in the same run. Records each webhook's
 * answer time, then waits for the webhook inbox to drain and checks that every acknowledged
 * delivery is applied (its claim row, written in the transaction that stores its events).
 * Ceiling, interleaved (before and after the app's run, same API load on the app): the same
 * deliveries to a bare receiver that checks the HMAC and stores each with one INSERT.
 * Env: BENCH_WEBHOOK_RATE (200), BENCH_SECONDS (10), BENCH_POSTGRES_URL, BENCH_DATABASE,
 * BENCH_APP_NODE_OPTIONS (say `--require ./profile.cjs`, handed to the app process).
 * Writes bench/results/webhooks.md.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { Result } from "autocannon";
import { deliverWebhook, signInMerchant, startAppProcess } from "@cartback/testing";
import { e2eProducts, e2eVariants } from "../e2e/support/catalog.ts";
import { machineLine } from "./machine.ts";
import { recreateDatabase } from "./support/database.ts";
import { answerTimes, quantile, type Sent, sendWebhooks, startCeiling } from "./webhooks-support.ts";
import { runLoad } from "./support/load-process.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB_NAME = process.env.BENCH_DATABASE ?? "cartback_bench_webhooks";
const RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Warm-up journeys are other carts and orders than the measured run's. */
const WARM_UP_JOURNEY = 1_000_000;

const apiLoad = runLoad;

async function main() {
  const databaseUrl = await recreateDatabase(ADMIN_URL, DB_NAME);
  const machine = machineLine();
  const app = await startAppProcess({ database: "pglite", shopify: { products: e2eProducts() }, env: { DATABASE_URL: databaseUrl, CARTBACK_RATE_LIMITS: "off", LOG_LEVEL: "warn", ...appNodeOptions() } });
  const ceiling = await startCeiling(databaseUrl, app.secret);
  try {
    const merchant = await signInMerchant(app);
    const apiKey = await merchant.createApiKey();
    await merchant.configureCampaign({ steps: "15m" });
    const lines = e2eVariants(e2eProducts()).slice(0, 2).map((variant, i) => ({ variant, quantity: i + 1 }));
    const spec = { url: app.url, path: "/api/v1/events", kind: "batch", shops: [{ shop: app.shop, apiKey, pixelKey: "" }], connections: 4, headers: { "content-type": "application/json" } };
    await apiLoad({ ...spec, run: "warm", seconds: 2 });
    const capacity = await apiLoad({ ...spec, run: "capacity", seconds: 5 });
    const capacityRate = capacity["2xx"] / capacity.duration;
    const half = Math.max(1, Math.round(capacityRate / 2));
    const underLoad = (deliver: Parameters<typeof sendWebhooks>[0]) => Promise.all([apiLoad({ ...spec, run: "half", seconds: SECONDS, rate: half }), sendWebhooks(deliver, lines, RATE, SECONDS)]);
    const toCeiling = (d: Parameters<typeof deliverWebhook>[1]) => deliverWebhook({ appUrl: ceiling.url, shop: app.shop, secret: app.secret }, d);
    // Both receivers warm up alike (pools open, code compiled, the sender's connections made):
    // unwarmed, the app's first second of a burst was its slowest.
    await sendWebhooks(toCeiling, lines, 50, 2, WARM_UP_JOURNEY);
    await sendWebhooks((d) => app.webhook(d), lines, 50, 2, WARM_UP_JOURNEY);
    const [, ceilingBefore] = await underLoad(toCeiling);
    const [api, sent] = await underLoad((d) => app.webhook(d));
    const [, ceilingAfter] = await underLoad(toCeiling);
    const acknowledged = sent.filter((s) => s.status >= 200 && s.status < 300);
    const drainSeconds = await inboxDrained(databaseUrl, app.shop);
    const stored = await storedDeliveries(databaseUrl, app.shop, acknowledged.map((s) => s.webhookId));
    const ms = sent.map((s) => s.ms).sort((a, b) => a - b);
    const ceilings = [answerTimes(ceilingBefore), answerTimes(ceilingAfter)];
    const figures = { drainSeconds, sent: sent.length, acknowledged: acknowledged.length, stored, p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), p99: quantile(ms, 0.99), max: ms.at(-1) ?? 0, capacityRate, half, api, ceilings };
    process.stdout.write(`${JSON.stringify({ ...figures, api: { rate: api["2xx"] / api.duration, p99: api.latency.p99 } })}\n`);
    if (process.env.BENCH_WEBHOOKS_DUMP) writeFileSync(process.env.BENCH_WEBHOOKS_DUMP, JSON.stringify(sent));
    writeFileSync(path.join(here, "results/webhooks.md"), report(machine, figures, sent));
    process.stdout.write("wrote bench/results/webhooks.md\n");
  } finally {
    ceiling.stop();
    await app.stop();
  }
}

/** Seconds after the last answer until the shop's webhook inbox is empty (at most 300 s; -1 if it never empties). */
async function inboxDrained(databaseUrl: string, shop: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = performance.now();
  try {
    while (performance.now() - started < 300_000) {
      const left = await client.query("select count(*)::int as n from webhook_inbox where shop = $1", [shop]);
      if (left.rows[0].n === 0) return (performance.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return -1;
  } finally {
    await client.end();
  }
}

/** How many of these acknowledged deliveries are claimed (the claim commits with the delivery's events). */
async function storedDeliveries(databaseUrl: string, shop: string, ids: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const claimed = await client.query("select count(*)::int as n from webhook_deliveries where shop = $1 and webhook_id = any($2::text[])", [shop, ids]);
    return claimed.rows[0].n as number;
  } finally {
    await client.end();
  }
}

type Figures = {
  drainSeconds: number;
  sent: number;
  acknowledged: number;
  stored: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  capacityRate: number;
  half: number;
  api: Result;
  ceilings: { p50: number; p99: number }[];
};

function report(machine: string, f: Figures, sent: Sent[]): string {
  const ms = (v: number) => v.toFixed(0);
  const byTopic = ["carts/update", "checkouts/create", "orders/create"].map((topic) => {
    const list = sent.filter((s) => s.topic === topic).map((s) => s.ms).sort((a, b) => a - b);
    return `| ${topic} | ${list.length} | ${ms(quantile(list, 0.5))} | ${ms(quantile(list, 0.99))} |`;
  });
  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const apiRate = f.api["2xx"] / f.api.duration;
  const [before, after] = f.ceilings as [{ p50: number; p99: number }, { p50: number; p99: number }];
  return `## Webhooks under load (\`npm run bench:webhooks\`)

${machine} Load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")}.

The app as \`npm start\` runs it (child process, PostgreSQL, campaign worker inline, one campaign), signed
webhooks sent open-loop at ${RATE}/s for ${SECONDS} s (\`carts/update\`, \`checkouts/create\`, \`orders/create\` of one
journey after another, each with a new \`X-Shopify-Webhook-Id\`), while the events API (100-event batches, 4
connections) runs at half the capacity measured just before in this run: ${Math.round(f.capacityRate)} requests/s
(${fmt(f.capacityRate * 100)} events/s) alone, held at ${f.half}/s; it reached ${apiRate.toFixed(1)}/s (p99 ${f.api.latency.p99} ms) during the app's run.
Ceiling, run just before and just after the app's run under the same API load on the app: the same deliveries
to a bare receiver (bench/webhooks-ceiling.ts: HMAC check, one INSERT of the raw delivery, 200).

| topic | deliveries | p50 ms | p99 ms |
|---|---:|---:|---:|
${byTopic.join("\n")}
| all | ${f.sent} | ${ms(f.p50)} | ${ms(f.p99)} (p95 ${ms(f.p95)}, max ${ms(f.max)}) |
| ceiling before | ${RATE * SECONDS} | ${ms(before.p50)} | ${ms(before.p99)} |
| ceiling after | ${RATE * SECONDS} | ${ms(after.p50)} | ${ms(after.p99)} |

- ${verdict(f.p99 <= 250)} p99 answer ${ms(f.p99)} ms (≤ 250 ms); the ceiling's p99 in the same window ${ms(before.p99)} / ${ms(after.p99)} ms
- ${verdict(f.acknowledged === f.sent)} ${f.acknowledged} of ${f.sent} deliveries acknowledged (2xx); answers by status (0 = no answer: connection error or timeout): ${statusCounts(sent)}; ${sent.filter((s) => s.queued).length} answered once stored (applied by the drain or still applying), the rest after their apply
- ${verdict(f.stored === f.acknowledged)} ${f.stored} of ${f.acknowledged} acknowledged deliveries found applied in the database afterwards (claimed in the transaction that stores the delivery's events); the webhook inbox (deliveries stored before their answer, applied by the drain) was empty ${f.drainSeconds < 0 ? "NOT within 300 s" : `${f.drainSeconds.toFixed(1)} s after the last answer`}
`;
}

function statusCounts(sent: Sent[]): string {
  const counts = new Map<number, number>();
  for (const s of sent) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]).map(([status, n]) => `${status}: ${n}`).join(", ");
}

const fmt = (n: number) => Math.round(n).toLocaleString("en");

function appNodeOptions(): Record<string, string> {
  const env: Record<string, string> = process.env.BENCH_APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS } : {};
  if (process.env.CARTBACK_WEBHOOK_BURST) env.CARTBACK_WEBHOOK_BURST = process.env.CARTBACK_WEBHOOK_BURST;
  return env;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
