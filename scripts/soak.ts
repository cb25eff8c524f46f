// `npm run soak`: mixed traffic at a stated rate for a set time against the app started as
// `npm start` does (child process, PostgreSQL from TEST_DATABASE_URL, worker inline), then the
// journey check. Webhook journeys (as in e2e:journeys) run beside events API batches and single
// /collect events; every minute the errors, p99 answer time and the app's RSS are recorded.
// Writes bench/results/soak.md (or --out FILE). Flags: --minutes 10 --journeys-per-s 1 --api-per-s 5
// --collect-per-s 10, and --worker-process: the web process with CARTBACK_WORKER=off and the
// campaign worker as `npm run worker` beside it, as scale-out runs.
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { machineLine } from "../bench/machine.ts";
import { planJourneys, runJourneys } from "../e2e/support/journeys.ts";
import { type E2eShop, startE2eShop } from "../e2e/support/shop.ts";
import { startWorkerProcess, type WorkerProcess } from "./soak/worker-process.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} expects a positive number`);
  return value;
};
const minutes = flag("minutes", 10);
const journeysPerS = flag("journeys-per-s", 1);
const apiPerS = flag("api-per-s", 5);
const collectPerS = flag("collect-per-s", 10);
const workerProcess = process.argv.includes("--worker-process");
const outIndex = process.argv.indexOf("--out");
const out = outIndex >= 0 && process.argv[outIndex + 1] ? path.resolve(process.argv[outIndex + 1]!) : path.join(ROOT, "bench/results/soak.md");
const DELAY_MS = 3_000;
if (!process.env.TEST_DATABASE_URL) {
  process.stderr.write("soak: set TEST_DATABASE_URL=postgres://… (the soak runs on PostgreSQL)\n");
  process.exit(2);
}

interface Window {
  requests: number;
  errors: number;
  latencies: number[];
  rssMb: number;
  workerRssMb: number;
  /** Error lines the web process and the worker process logged. */
  loggedErrors: { web: number; worker: number };
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return Math.round(Number(/(\d+)/.exec(line ?? "")?.[1] ?? 0) / 1024);
}

/** Sends `perSecond` requests a second until `until`, each recorded in the current window. */
async function steady(perSecond: number, until: number, windows: Window[], started: number, send: () => Promise<Response>) {
  const inFlight = new Set<Promise<void>>();
  for (let n = 0; Date.now() < until; n++) {
    const at = started + (n * 1000) / perSecond;
    if (at > Date.now()) await new Promise((resolve) => setTimeout(resolve, at - Date.now()));
    const t0 = Date.now();
    const window = windows[Math.floor((t0 - started) / 60_000)];
    if (!window) break;
    const request = send()
      .then(async (response) => {
        await response.arrayBuffer();
        if (!response.ok) window.errors++;
      })
      .catch(() => void window.errors++)
      .finally(() => {
        window.requests++;
        window.latencies.push(Date.now() - t0);
        inFlight.delete(request);
      });
    inFlight.add(request);
  }
  await Promise.all(inFlight);
}

function mixedLoad(shop: E2eShop, windows: Window[], started: number, until: number) {
  const [variant] = shop.variants;
  const api = () => {
    const clientId = `soak-${randomUUID()}`;
    const at = new Date().toISOString();
    const events = Array.from({ length: 10 }, (_, i) => ({ id: randomUUID(), name: "Added to Cart", occurredAt: at, clientId, variantId: shop.variants[i % shop.variants.length]!.id, quantity: 1, price: variant!.price, currency: "USD" }));
    return fetch(`${shop.app.url}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${shop.apiKey}`, "content-type": "application/json" }, body: JSON.stringify({ events }), signal: AbortSignal.timeout(30_000) });
  };
  const collect = () => {
    const event = { id: `sh-${randomUUID()}`, name: "product_added_to_cart", timestamp: new Date().toISOString(), clientId: randomUUID(), data: { cartLine: { quantity: 1, merchandise: { id: variant!.id, price: { amount: Number(variant!.price), currencyCode: "USD" }, product: { id: "1", title: variant!.productTitle } } } } };
    // Each request from a new browser: one address here, so the per-client limit is what we test
    // elsewhere; these stay under it (collect-per-s ≤ 20).
    return fetch(`${shop.app.url}/collect`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ shop: shop.app.shop, pixelKey: shop.pixelKey, events: [event] }), signal: AbortSignal.timeout(30_000) });
  };
  return Promise.all([steady(apiPerS, until, windows, started, api), steady(collectPerS, until, windows, started, collect)]);
}

/** The minute a pino line was logged in, from its `time` field. */
function minuteOf(line: string, started: number): number {
  const time = Number(/"time":(\d+)/.exec(line)?.[1] ?? Number.NaN);
  return Math.floor((time - started) / 60_000);
}

function countLoggedErrors(windows: Window[], started: number, web: string, worker: string[]) {
  const webErrors = web.split("\n").filter((line) => /"level":(50|60)/.test(line));
  for (const [lines, who] of [[webErrors, "web"], [worker, "worker"]] as const) {
    for (const line of lines) {
      const window = windows[Math.min(Math.max(minuteOf(line, started), 0), windows.length - 1)];
      if (window) window.loggedErrors[who]++;
    }
  }
  return [...webErrors, ...worker];
}

const loadAtStart = os.loadavg();
const shop = await startE2eShop({ database: "postgres", campaign: { steps: `${DELAY_MS / 1000}s` }, env: workerProcess ? { CARTBACK_WORKER: "off" } : undefined });
let worker: WorkerProcess | null = null;
try {
  if (workerProcess) worker = await startWorkerProcess(shop.app.child.pid!);
  const windows: Window[] = Array.from({ length: minutes }, () => ({ requests: 0, errors: 0, latencies: [], rssMb: 0, workerRssMb: 0, loggedErrors: { web: 0, worker: 0 } }));
  const started = Date.now();
  const until = started + minutes * 60_000;
  const sampler = setInterval(() => {
    const window = windows[Math.floor((Date.now() - started) / 60_000)];
    if (!window) return;
    window.rssMb = Math.max(window.rssMb, rssMb(shop.app.child.pid));
    if (worker?.child.exitCode === null) window.workerRssMb = Math.max(window.workerRssMb, rssMb(worker.child.pid));
  }, 5_000);
  const count = Math.round(journeysPerS * minutes * 60);
  process.stdout.write(`soak: ${minutes} min on PostgreSQL, worker ${workerProcess ? "as its own process" : "inline"}, ${count} webhook journeys, ${apiPerS} API batches/s, ${collectPerS} /collect/s …\n`);
  const [report] = await Promise.all([
    runJourneys(shop.app, planJourneys(count, 4242, shop.variants, minutes * 60_000), DELAY_MS),
    mixedLoad(shop, windows, started, until),
  ]);
  clearInterval(sampler);
  const health = (await fetch(`${shop.app.url}/healthz`).then((r) => r.json()).catch(() => null)) as { database?: { conflictRetries?: { deadlocks: number } } } | null;
  const errorLines = countLoggedErrors(windows, started, `${shop.app.output().stdout}\n${shop.app.output().stderr}`, worker?.takeErrors() ?? []);
  const workerExited = worker ? worker.child.exitCode !== null : false;
  const md = render(windows, count, report, { deadlocks: health?.database?.conflictRetries?.deadlocks ?? null, errorLines, workerExited });
  writeFileSync(out, md);
  process.stdout.write(md);
} finally {
  await worker?.stop();
  await shop.stop();
}

function render(windows: Window[], count: number, report: Awaited<ReturnType<typeof runJourneys>>, extra: { deadlocks: number | null; errorLines: string[]; workerExited: boolean }): string {
  const rows = windows.map((w, i) => {
    const sorted = w.latencies.sort((a, b) => a - b);
    const p = (q: number) => sorted[Math.floor(sorted.length * q)] ?? 0;
    const rss = workerProcess ? `${w.rssMb} | ${w.workerRssMb}` : `${w.rssMb}`;
    return `| ${i + 1} | ${w.requests} | ${w.errors} | ${p(0.5)} | ${p(0.99)} | ${rss} | ${w.loggedErrors.web + w.loggedErrors.worker} |`;
  });
  const fmt = (load: number[]) => load.map((l) => l.toFixed(1)).join(" / ");
  const how = workerProcess
    ? "the web process as `npm start` runs it with `CARTBACK_WORKER=off` (child process) and the campaign worker as `npm run worker` in a second process with the same environment, as scale-out runs"
    : "the app as `npm start` runs it (child process, worker inline)";
  return `## Soak (\`npm run soak${workerProcess ? " -- --worker-process" : ""}\`)

${machineLine().replace(/Load average at start: .*$/, `Load average at start: ${fmt(loadAtStart)}, at end: ${fmt(os.loadavg())}.`)}

${minutes} minutes on PostgreSQL, ${how}. Load: ${count} webhook-only
journeys (as \`npm run e2e:journeys\`, seed 4242, spread over the run), ${apiPerS} events API batches/s of 10 adds, and
${collectPerS} single \`/collect\` pixel events/s. Per minute: the API and pixel requests, their errors (non-2xx or no
answer within 30 s), answer times, peak RSS (sampled every 5 s) and the error lines the processes logged.

| minute | requests | errors | p50 ms | p99 ms | ${workerProcess ? "web RSS MB | worker RSS MB" : "RSS MB"} | logged errors |
|---|---:|---:|---:|---:|${workerProcess ? "---:|---:" : "---:"}|---:|
${rows.join("\n")}

Journey check at the end: ${report.journeys} journeys, ${report.expected} emails expected, ${report.sent} sent, precision
**${report.precision.toFixed(3)}**, recall **${report.recall.toFixed(3)}**, mailed twice ${report.mailedTwice}, wrong cart ${report.wrongCart};
webhook answers p50 / p99 / max ${report.latencyMs.p50} / ${report.latencyMs.p99} / ${report.latencyMs.max} ms.
Transactions run again after a lost deadlock (web process's /healthz): ${extra.deadlocks ?? "not reported"}.${workerProcess ? ` Worker process ${extra.workerExited ? "**EXITED** during the run" : "ran throughout"}.` : ""}
${extra.errorLines.length ? `\nLogged errors (first 5):\n${extra.errorLines.slice(0, 5).map((l) => `- \`${l.slice(0, 300)}\``).join("\n")}\n` : ""}`;
}
