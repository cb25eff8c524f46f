import { availableDatabases } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchesExpectation } from "./support/journey-revenue.ts";
import { distinctEmails, heldOutOn, resultsFigures } from "./support/journey-results.ts";
import { planJourneys, runJourneys } from "./support/journeys.ts";
import { type E2eShop, profileText, startE2eShop } from "./support/shop.ts";

// CI's guard for `npm run e2e:journeys` (500 journeys): the same check on 40 webhook-only
// journeys with a fresh seed each run (printed, to replay with CARTBACK_E2E_SEED). The
// campaign holds out 10 %; shoppers follow the email's restore link and order, some in EUR,
// some refunded; the Results page must show exactly the reference's orders and net revenue.
const DELAY_MS = 3_000;
const COUNT = Number(process.env.CARTBACK_E2E_JOURNEYS ?? 40);

describe.each(availableDatabases())("webhook-only journeys on %s", (database) => {
  let shop: E2eShop;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s", holdout: "10" } });
  });
  afterAll(() => shop?.stop());

  it(`mails exactly the shoppers who should be mailed (10 % held out), once each, with their cart, and the Results page shows the recovered orders and net revenue exactly (${COUNT} journeys, a quarter with retries, duplicates and late deliveries)`, { timeout: 240_000 }, async () => {
    const seed = Number(process.env.CARTBACK_E2E_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const plans = planJourneys(COUNT, seed, shop.variants, 10_000);
    const report = await runJourneys(shop.app, plans, DELAY_MS, { isHeldOut: heldOutOn(shop) });
    const profiles = await Promise.all(report.failedEmails.slice(0, 3).map((email) => profileText(shop, email)));
    const summary = `seed ${seed}: ${JSON.stringify({ ...report, failures: report.failures.length, failedEmails: undefined })}\n${report.failures.slice(0, 20).join("\n")}\n${profiles.join("\n\n")}`;
    // Soft: the money checks below are reported even when an email check fails.
    expect.soft(report.failures, summary).toEqual([]);
    expect.soft(report.expected, summary).toBeGreaterThan(0);
    expect.soft({ precision: report.precision, recall: report.recall, mailedTwice: report.mailedTwice, wrongCart: report.wrongCart, early: report.early }, summary).toEqual({ precision: 1, recall: 1, mailedTwice: 0, wrongCart: 0, early: 0 });

    const figures = await resultsFigures(shop);
    const r = report.revenue;
    expect({ status: figures.status, clicks: figures.clicks, sent: figures.sent, heldOut: figures.heldOut ?? 0 }, summary).toEqual({ status: 200, clicks: r.clicks, sent: distinctEmails(shop.app, plans), heldOut: report.heldOut });
    expect(matchesExpectation(r, figures), `${summary}\nResults: ${JSON.stringify(figures)}`).toBe(true);
    expect(r.orders, summary).toBeGreaterThan(0);
  });
});
