import { availableDatabases } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planJourneys, runJourneys } from "./support/journeys.ts";
import { type E2eShop, profileText, startE2eShop } from "./support/shop.ts";

// CI's guard for `npm run e2e:journeys` (500 journeys): the same check on 40 webhook-only
// journeys with a fresh seed each run (printed, to replay with CARTBACK_E2E_SEED).
const DELAY_MS = 3_000;
const COUNT = Number(process.env.CARTBACK_E2E_JOURNEYS ?? 40);

describe.each(availableDatabases())("webhook-only journeys on %s", (database) => {
  let shop: E2eShop;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s" } });
  });
  afterAll(() => shop?.stop());

  it(`mails exactly the shoppers who should be mailed, once each, with their cart (${COUNT} journeys, a quarter with retries, duplicates and late deliveries)`, { timeout: 180_000 }, async () => {
    const seed = Number(process.env.CARTBACK_E2E_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const plans = planJourneys(COUNT, seed, shop.variants, 10_000);
    const report = await runJourneys(shop.app, plans, DELAY_MS);
    const profiles = await Promise.all(report.failedEmails.slice(0, 3).map((email) => profileText(shop, email)));
    const summary = `seed ${seed}: ${JSON.stringify({ ...report, failures: report.failures.length, failedEmails: undefined })}\n${report.failures.slice(0, 20).join("\n")}\n${profiles.join("\n\n")}`;
    expect(report.failures, summary).toEqual([]);
    expect(report.expected, summary).toBeGreaterThan(0);
    expect({ precision: report.precision, recall: report.recall, mailedTwice: report.mailedTwice, wrongCart: report.wrongCart, early: report.early }, summary).toEqual({ precision: 1, recall: 1, mailedTwice: 0, wrongCart: 0, early: 0 });
  });
});
