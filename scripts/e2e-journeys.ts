// `npm run e2e:journeys`: 500 webhook-only shopper journeys against the built server, started
// as `npm start` does (child process, fresh data directory; and on a fresh PostgreSQL database
// when TEST_DATABASE_URL is set). Writes precision, recall and double sends to
// bench/results/journeys.md. Flags: --count 500 --seed N --spread-s 250 --delay-s 3 --out file.md.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { availableDatabases, type DatabaseKind } from "@cartback/testing";
import { machineLine } from "../bench/machine.ts";
import { matchesExpectation } from "../e2e/support/journey-revenue.ts";
import { distinctEmails, heldOutOn, type ResultsFigures, resultsFigures } from "../e2e/support/journey-results.ts";
import { type JourneyReport, planJourneys, runJourneys } from "../e2e/support/journeys.ts";
import { startE2eShop } from "../e2e/support/shop.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`e2e:journeys: --${name} expects a positive number\n`);
    process.exit(2);
  }
  return value;
}

const count = flag("count", 500);
const seed = flag("seed", Math.floor(Math.random() * 2 ** 31));
const spreadMs = flag("spread-s", count / 2) * 1000;
const delayMs = flag("delay-s", 3) * 1000;
const holdout = flag("holdout", 10);
const outIndex = process.argv.indexOf("--out");
const out = outIndex >= 0 ? path.resolve(process.argv[outIndex + 1] ?? "") : path.join(ROOT, "bench/results/journeys.md");

interface Run {
  database: DatabaseKind;
  report: JourneyReport;
  seconds: number;
  results: ResultsFigures;
  /** The Results page's orders and net revenue equal the reference's (up to orders placed within 2 s of their email). */
  revenueEqual: boolean;
  emails: number;
}

async function runOn(database: DatabaseKind): Promise<Run> {
  const shop = await startE2eShop({ database, campaign: { steps: `${delayMs / 1000}s`, holdout: String(holdout) } });
  try {
    const started = Date.now();
    const plans = planJourneys(count, seed, shop.variants, spreadMs);
    const report = await runJourneys(shop.app, plans, delayMs, { isHeldOut: heldOutOn(shop) });
    const results = await resultsFigures(shop);
    const emails = distinctEmails(shop.app, plans);
    return { database, report, seconds: (Date.now() - started) / 1000, results, revenueEqual: matchesExpectation(report.revenue, results), emails };
  } finally {
    await shop.stop();
  }
}

const machine = machineLine();
const results = [];
for (const database of availableDatabases()) {
  process.stdout.write(`e2e:journeys: ${count} journeys on ${database} (seed ${seed}) …\n`);
  const result = await runOn(database);
  const r = result.report;
  process.stdout.write(`  held out ${r.heldOut}, clicks ${r.revenue.clicks}/${result.results.clicks}, orders ${r.revenue.orders}/${result.results.orders}, net ${r.revenue.revenueMinor - r.revenue.refundedMinor}/${result.results.netMinor} (reference/Results page), equal ${result.revenueEqual}\n`);
  process.stdout.write(`  precision ${r.precision.toFixed(3)}, recall ${r.recall.toFixed(3)}, mailed twice ${r.mailedTwice}, wrong cart ${r.wrongCart}, early ${r.early}, ambiguous ${r.ambiguous}, failures ${r.failures.length}\n`);
  for (const failure of r.failures.slice(0, 10)) process.stdout.write(`    ${failure.slice(0, 400)}\n`);
  results.push(result);
}

const rows = results.map(({ database, report: r, seconds }) =>
  `| ${database} | ${r.journeys} | ${r.messy} | ${r.expected} | ${r.sent} | ${r.truePositives} | **${r.precision.toFixed(3)}** | **${r.recall.toFixed(3)}** | ${r.mailedTwice} | ${r.wrongCart} | ${r.early} | ${r.ambiguous} | ${r.latencyMs.p50} / ${r.latencyMs.p99} / ${r.latencyMs.max} | ${seconds.toFixed(0)} s |`);
const money = (minor: number) => (minor / 100).toFixed(2);
const revenueRows = results.map(({ database, report: r, results: page, revenueEqual, emails }) => {
  const decided = emails + r.heldOut;
  const share = decided === 0 ? 0 : r.heldOut / decided;
  const sd = decided === 0 ? 0 : Math.sqrt((holdout / 100) * (1 - holdout / 100) / decided);
  return `| ${database} | ${r.heldOut} of ${decided} (${(share * 100).toFixed(1)} %, ${holdout} % ± ${(3 * sd * 100).toFixed(1)} % at 3 sd) | ${page.heldOut ?? 0} | ${emails} / ${page.sent} | ${r.revenue.clicks} / ${page.clicks} | ${r.revenue.orders} / ${page.orders} | ${money(r.revenue.revenueMinor - r.revenue.refundedMinor)} / ${money(page.netMinor)} | ${r.revenue.uncertain.length} | **${revenueEqual ? "equal" : "DIFFERENT"}** |`;
});
const failures = results.flatMap(({ database, report }) => report.failures.slice(0, 20).map((f) => `- ${database}: ${f}`));
const md = `## Webhook-only journeys against the built server (\`npm run e2e:journeys\`)

${machine}

${count} journeys per database, seed ${seed} (\`npm run e2e:journeys -- --seed ${seed}\` replays the plan), started
over ${spreadMs / 1000} s, campaign delay ${delayMs / 1000} s (set on the Campaigns form). The app runs as \`npm start\`
runs it: \`node scripts/start.mjs\` in a child process on a fresh data directory (and a fresh PostgreSQL database),
self-hosted against the local Admin API fake, sending through a real SMTP server; the journeys use only signed
webhooks (\`carts/create|update\`, \`checkouts/create\`, \`orders/create\`) over HTTP.

Each journey: a random cart (1-3 products, quantities 1-3), half of them changed by \`carts/update\` (7 % emptied),
85 % named by \`checkouts/create\` (90 % subscribed), a purchase before the due time (25 %), after the email (25 %)
or never; 25 % are messy: every delivery retried under its webhook id and re-sent under a new id as the sibling
topic, the update overtaking the create, and after the email the old snapshots, retries and the checkout again.
Expected: an email exactly for named, subscribed shoppers with a non-empty cart who did not buy first, once,
showing the final cart (its recovery link), never before the delay after the last cart change. A purchase
"before" that the app acknowledged only after the earliest legitimate send time (max(last change + delay,
checkout acknowledged)) is *ambiguous* (either outcome is right) and left out of precision and recall.

Money (issue 16): the campaign holds out ${holdout} % (set on the Campaigns form); a held-out shopper must get no
email and show a \`holdout\` decision on their profile page. Shoppers without a purchase of their own follow the
email's restore link (the real \`/r/<token>\` redirect read from the email, 302 to the cart permalink) in 3 of 4
journeys, and 2 of those order from the new cart it made (credited to the click); purchases "after" carry the
emailed cart's token (credited); 30 % of orders are paid in EUR on the USD shop (\`total_price_set.shop_money\`
is what counts), 30 % partly refunded by \`refunds/create\`. The reference (e2e/support/journey-revenue.ts) credits
orders by its own rules; the Results page (\`/app/results\`, as the merchant's browser gets it) must show the same
clicks, recovered orders and net revenue. An order placed within 2 s of its email could go either way and is
listed as uncertain (the comparison then accepts either outcome for it).

| database | journeys | messy | expected | sent | correct | precision | recall | mailed twice | wrong cart | too early | ambiguous | webhook answer p50 / p99 / max (ms) | run |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

| database | held out (reference) | held out (Results) | emails (relay / Results) | clicks (reference / Results) | recovered orders (reference / Results) | net revenue USD (reference / Results) | uncertain | Results vs reference |
|---|---|---|---|---|---|---|---|---|
${revenueRows.join("\n")}

${failures.length === 0 ? "No journey went wrong." : `Journeys that went wrong (first 20 per database):\n\n${failures.join("\n")}`}
`;
writeFileSync(out, md);
process.stdout.write(`e2e:journeys: wrote ${path.relative(ROOT, out)}\n`);
const ok = results.every(({ report: r, revenueEqual, results: page, emails }) =>
  r.failures.length === 0 && r.precision === 1 && r.recall === 1 && r.mailedTwice === 0 && revenueEqual && page.clicks === r.revenue.clicks && page.sent === emails && (page.heldOut ?? 0) === r.heldOut);
process.exit(ok ? 0 : 1);
