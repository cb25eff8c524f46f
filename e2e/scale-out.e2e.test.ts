import { readFileSync } from "node:fs";
import { type AppProcess, startAppProcess } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerProcess, type WorkerProcess } from "../scripts/soak/worker-process.ts";
import { planJourneys, runJourneys } from "./support/journeys.ts";
import { type E2eShop, startE2eShop } from "./support/shop.ts";

// Past one machine (issue #18): two web processes (`npm start` with CARTBACK_WORKER=off) and
// two campaign workers (`npm run worker`) on one PostgreSQL, webhooks spread over both web
// processes, every email through one SMTP sink: each shopper who should be mailed is mailed
// exactly once, whichever worker claims the step. Scale-out needs a shared PostgreSQL, so this
// file runs on TEST_DATABASE_URL's server (the local default when unset).
process.env.TEST_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
const DELAY_MS = 3_000;
const COUNT = Number(process.env.CARTBACK_E2E_JOURNEYS ?? 30);

/** The environment a running process was started with (database, SMTP, Shopify), from /proc. */
function environmentOf(pid: number): Record<string, string> {
  const pairs = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
}

/** A second web process of the same install: same database, shop, secret, Admin API and SMTP. */
function startSecondWebProcess(first: AppProcess): Promise<AppProcess> {
  const env = environmentOf(first.child.pid!);
  return startAppProcess({
    shop: first.shop,
    secret: first.secret,
    adminPassword: first.adminPassword,
    mail: first.mail,
    env: {
      CARTBACK_WORKER: "off",
      DATABASE_URL: env.DATABASE_URL!,
      SHOPIFY_ADMIN_TOKEN: env.SHOPIFY_ADMIN_TOKEN!,
      SHOPIFY_ADMIN_API_ORIGIN: env.SHOPIFY_ADMIN_API_ORIGIN!,
    },
  });
}

/** Deliveries alternate between the web processes, as a load balancer in front of them would. */
function balanced(apps: AppProcess[]): AppProcess {
  let next = 0;
  return { ...apps[0]!, webhook: (delivery) => apps[next++ % apps.length]!.webhook(delivery) };
}

describe("2 web processes + 2 workers on one PostgreSQL", () => {
  let shop: E2eShop;
  let second: AppProcess;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    shop = await startE2eShop({ database: "postgres", campaign: { steps: `${DELAY_MS / 1000}s` }, env: { CARTBACK_WORKER: "off" } });
    const pid = shop.app.child.pid!;
    const [web, ...started] = await Promise.all([startSecondWebProcess(shop.app), startWorkerProcess(pid), startWorkerProcess(pid)]);
    second = web;
    workers.push(...started);
    // Four processes start on a shared 2-core machine: the setup gets its own allowance.
  }, 300_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await second?.stop();
    await shop?.stop();
  });

  it(`mails every shopper who should be mailed exactly once (${COUNT} journeys, webhooks split over both web processes)`, { timeout: 90_000 }, async () => {
    const seed = Number(process.env.CARTBACK_E2E_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const report = await runJourneys(balanced([shop.app, second]), planJourneys(COUNT, seed, shop.variants, 8_000), DELAY_MS, 45_000);
    const summary = `seed ${seed}: ${JSON.stringify({ ...report, failures: report.failures.length, failedEmails: undefined })}\n${report.failures.slice(0, 20).join("\n")}`;
    expect(report.failures, summary).toEqual([]);
    expect(report.expected, summary).toBeGreaterThan(0);
    // No missing email (recall 1), none to the wrong shopper (precision 1), no duplicate.
    expect({ precision: report.precision, recall: report.recall, mailedTwice: report.mailedTwice, wrongCart: report.wrongCart }, summary)
      .toEqual({ precision: 1, recall: 1, mailedTwice: 0, wrongCart: 0 });
    // Both workers and both web processes were alive throughout: the work really was shared out.
    expect(workers.map((w) => w.child.exitCode)).toEqual([null, null]);
    expect(second.child.exitCode).toBeNull();
    expect(workers.flatMap((w) => w.takeErrors()), "error lines the workers logged").toEqual([]);
  });

  it("runs the housekeeping in each `npm run worker` (the web processes run none with CARTBACK_WORKER=off)", () => {
    // The shop's settings are read from the store's Admin API by the housekeeping at start.
    expect(workers.map((w) => w.logged("shop settings read from Shopify"))).toEqual([true, true]);
  });
});
