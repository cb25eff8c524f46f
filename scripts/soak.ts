// `npm run soak`: mixed traffic at a stated rate for a set time against the app started as
// `npm start` does (child process, PostgreSQL from TEST_DATABASE_URL, worker inline), then the
// journey check. Webhook journeys (as in e2e:journeys) run beside events API batches and single
// /collect events; every minute the errors, p99 answer time and the app's RSS are recorded.
// Writes bench/results/soak.md. Flags: --minutes 10 --journeys-per-s 1 --api-per-s 5 --collect-per-s 10.
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { machineLine } from "../bench/machine.ts";
import { planJourneys, runJourneys } from "../e2e/support/journeys.ts";
import { type E2eShop, startE2eShop } from "../e2e/support/shop.ts";

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

const shop = await startE2eShop({ database: "postgres", campaign: { steps: `${DELAY_MS / 1000}s` } });
try {
  const windows: Window[] = Array.from({ length: minutes }, () => ({ requests: 0, errors: 0, latencies: [], rssMb: 0 }));
  const started = Date.now();
  const until = started + minutes * 60_000;
  const sampler = setInterval(() => {
    const window = windows[Math.floor((Date.now() - started) / 60_000)];
    if (window) window.rssMb = Math.max(window.rssMb, rssMb(shop.app.child.pid));
  }, 5_000);
  const count = Math.round(journeysPerS * minutes * 60);
  process.stdout.write(`soak: ${minutes} min on PostgreSQL, ${count} webhook journeys, ${apiPerS} API batches/s, ${collectPerS} /collect/s …\n`);
  const [report] = await Promise.all([
    runJourneys(shop.app, planJourneys(count, 4242, shop.variants, minutes * 60_000), DELAY_MS),
    mixedLoad(shop, windows, started, until),
  ]);
  clearInterval(sampler);
  const rows = windows.map((w, i) => {
    const sorted = w.latencies.sort((a, b) => a - b);
    return `| ${i + 1} | ${w.requests} | ${w.errors} | ${sorted[Math.floor(sorted.length / 2)] ?? 0} | ${sorted[Math.floor(sorted.length * 0.99)] ?? 0} | ${w.rssMb} |`;
  });
  const md = `## Soak (\`npm run soak\`)

${machineLine()}

${minutes} minutes on PostgreSQL, the app as \`npm start\` runs it (child process, worker inline). Load: ${count} webhook-only
journeys (as \`npm run e2e:journeys\`, seed 4242, spread over the run), ${apiPerS} events API batches/s of 10 adds, and
${collectPerS} single \`/collect\` pixel events/s. Per minute: the API and pixel requests, their errors (non-2xx or no
answer within 30 s), answer times, and the app process's peak RSS (sampled every 5 s).

| minute | requests | errors | p50 ms | p99 ms | RSS MB |
|---|---:|---:|---:|---:|---:|
${rows.join("\n")}

Journey check at the end: ${report.journeys} journeys, ${report.expected} emails expected, ${report.sent} sent, precision
**${report.precision.toFixed(3)}**, recall **${report.recall.toFixed(3)}**, mailed twice ${report.mailedTwice}, wrong cart ${report.wrongCart};
webhook answers p50 / p99 / max ${report.latencyMs.p50} / ${report.latencyMs.p99} / ${report.latencyMs.max} ms.
`;
  writeFileSync(path.join(ROOT, "bench/results/soak.md"), md);
  process.stdout.write(md);
} finally {
  await shop.stop();
}
