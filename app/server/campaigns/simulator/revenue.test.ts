import { type Db, revenueOrders, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { loadConfig } from "../../config.ts";
import { adminDiscountIssuer } from "../../discounts/issue.ts";
import { configureIngest } from "../../ingest/service.ts";
import { ingestRuntime } from "../../ingest/testing.ts";
import { smtpForTests } from "../../mail/testing-smtp.ts";
import { handleActivityWithRevenue } from "../../revenue/hook.ts";
import { buildReport } from "../../revenue/report.ts";
import { createAdminClient } from "../../shopify/admin-client.ts";
import { defaultDeps } from "../deps.ts";
import { ensureDefaultCampaign, updateCampaign } from "../repository.ts";
import { TestClock, drain, testSchedulerContext } from "../testing.ts";
import { prng } from "./journeys.ts";
import { generateRevenueJourney } from "./revenue-journeys.ts";
import { type Group, expectedRevenue } from "./revenue-reference.ts";
import { abandonCarts, emailedCode, episodeStates, heldOutEmails, playRevenue, recoveryToken } from "./revenue-run.ts";

// CI size; CARTBACK_SIM_EPISODES=10000 for the run (scripts: npm run sim:revenue).
// CARTBACK_SIM_SEED replays one.
const EPISODES = Number(process.env.CARTBACK_SIM_EPISODES ?? 500);
const SEED = Number(process.env.CARTBACK_SIM_SEED ?? Date.now() % 100_000);
const HOLDOUT = 10;
const ADMIN_TOKEN = "shpat_simrevenue1234567890";
const DAY = 86_400_000;
// Twenty days back, so that every order of the run is in the past when it arrives.
const T0 = Math.floor((Date.now() - 20 * DAY) / 3_600_000) * 3_600_000;
const SPREAD_MS = 3_600_000;
/** The campaign's one step: 15 minutes after the last cart change; every cart is due by S. */
const S = T0 + SPREAD_MS + 30 * 60_000;

const mailbox = smtpForTests({ maxConnections: 4 });

describeEachDatabase("revenue simulator", (database) => {
  it(`reports exactly the reference model's recovered orders and net revenue, and holds out ${HOLDOUT} % (${EPISODES} episodes, seed ${SEED})`, { timeout: 3_600_000 }, async () => {
    const started = performance.now();
    const shop = randomShop("simrev");
    const db = database().db as Db;
    await db.insert(shops).values({ shop, timezone: "UTC", currency: "USD" });
    const campaign = await ensureDefaultCampaign(db, shop);
    // Each email carries its own single-use code, created just in time on the Admin API fake (a Plus shop's rate).
    const discount = { kind: "fixed_amount", amount: "5.00", expiresAfterDays: 7, oncePerCustomer: true };
    await updateCampaign(db, shop, campaign.id, { steps: [{ delayMs: 15 * 60_000, discount }], settings: { ...campaign.settings, holdoutPercent: HOLDOUT } });
    const fake = await startFakeShopifyAdmin({ shop, accessToken: ADMIN_TOKEN, grantedScopes: ["read_products", "write_discounts"], bucket: { maximumAvailable: 20_000, restoreRate: 1_000 } });
    const config = loadConfig({ NODE_ENV: "test", SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: ADMIN_TOKEN, SHOPIFY_API_SECRET: "s3cret", SHOPIFY_ADMIN_API_ORIGIN: fake.origin });
    const runtime = ingestRuntime(database());
    configureIngest(runtime, { onActivity: handleActivityWithRevenue });
    const clock = new TestClock(new Date(S));
    // A shop whose operator set the new-recipient breaker (CARTBACK_NEW_RECIPIENTS_PER_HOUR) for this volume:
    // at the default 1,000 an hour, the rest of a 10,000-cart hour is held (held_new_recipients), as it should be.
    const ctx = testSchedulerContext(database(), defaultDeps(), clock, shop, { appSecret: runtime.appSecret, newRecipientsPerHour: 2 * EPISODES, discounts: adminDiscountIssuer(createAdminClient({ config, database: database() })) });
    const rand = prng(SEED);
    const journeys = Array.from({ length: EPISODES }, (_, i) => generateRevenueJourney(i, SPREAD_MS, EPISODES, rand));

    await abandonCarts(runtime, shop, journeys, T0, new Date(T0 + SPREAD_MS + 60_000));
    const before = mailbox.sink.messages.length;
    // A render the loaded machine made slow is deferred (render_slow): the worker's next rounds send it.
    let rounds = 0;
    for (; rounds < 30; rounds++) {
      await drain(ctx, mailbox.smtp);
      if (mailbox.sink.messages.length - before + (await heldOutEmails(db, shop)).length >= EPISODES) break;
      clock.advance(60_000);
    }
    const mails = mailbox.sink.messages.slice(before);
    await fake.close();
    const to = (m: (typeof mails)[number]) => (m.to && !Array.isArray(m.to) ? m.to.value[0]!.address! : "");
    const html = (m: (typeof mails)[number]) => (typeof m.html === "string" ? m.html : "");
    const tokens = new Map(mails.map((m) => [to(m), recoveryToken(html(m)) ?? ""]));
    const codes = new Map(mails.map((m) => [to(m), emailedCode(html(m))]));
    const held = new Set(await heldOutEmails(db, shop));
    const groupOf = (j: { email: string }): Group | undefined => (tokens.has(j.email) ? "emailed" : held.has(j.email) ? "holdout" : undefined);
    const decided = performance.now();

    // Every episode was decided: emailed once or held out, never both.
    expect(mails.length).toBe(tokens.size);
    expect([...held].filter((email) => tokens.has(email))).toEqual([]);
    const undecided = journeys.filter((j) => groupOf(j) === undefined).map((j) => j.email);
    expect(undecided.length, `${undecided.length} undecided at ${clock.now().toISOString()}:\n${(await episodeStates(db, shop, undecided.slice(0, 5))).join("\n")}`).toBe(0);
    expect([...tokens.values()].filter((t) => t === "")).toEqual([]);
    // One code per email sent, none for the held out.
    expect([...codes.values()].filter((c) => c === null)).toEqual([]);
    expect(new Set(codes.values()).size).toBe(mails.length);
    expect(fake.state.discounts.length).toBe(mails.length);
    const share = held.size / EPISODES;
    const sd = Math.sqrt((HOLDOUT / 100) * (1 - HOLDOUT / 100) / EPISODES);
    // Four standard deviations: a correct split fails this once in ~16,000 runs.
    expect(Math.abs(share - HOLDOUT / 100), `holdout share ${share} vs ${HOLDOUT} % ± ${(4 * sd * 100).toFixed(2)} %`).toBeLessThanOrEqual(4 * sd);

    const played = await playRevenue(runtime, shop, journeys, { tokens, codes }, groupOf, S);
    const expected = expectedRevenue(journeys, groupOf);
    const report = await buildReport(db, shop, { days: 30, now: new Date(S + 10 * DAY) });
    const rows = await db.select({ orderId: revenueOrders.orderId, rule: revenueOrders.rule }).from(revenueOrders).where(eq(revenueOrders.shop, shop));
    const wrong = rows.filter((r) => !expected.rules.has(r.orderId) || expected.rules.get(r.orderId) !== r.rule)
      .map((r) => `order ${r.orderId}: ${r.rule} expected ${expected.rules.get(r.orderId)} (${journeys.find((j) => j.order?.orderId === r.orderId)?.action})`);
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(rows.length).toBe(expected.rules.size);
    const t = report!.totals;
    const figures = {
      emailed: t.emailed, holdout: t.holdout, clicks: t.clicks, recoveredOrders: t.recoveredOrders, revenueMinor: t.revenueMinor, refundedMinor: t.refundedMinor,
      netRevenueMinor: t.netRevenueMinor, emailedConverted: t.emailedConverted, holdoutConverted: t.holdoutConverted, otherCurrencyOrders: report!.otherCurrencyOrders,
    };
    const { rules: _rules, ...want } = expected;
    expect(figures).toEqual({ ...want, otherCurrencyOrders: 0 });
    expect(played.clicks).toBe(expected.clicks);
    expect(expected.recoveredOrders).toBeGreaterThan(EPISODES / 10);
    process.stdout.write(`revenue simulator ${database().kind} ${EPISODES} episodes seed ${SEED}: ${JSON.stringify({ ...figures, holdoutShare: share, orders: rows.length, rounds })}; decided in ${((decided - started) / 1000).toFixed(1)} s, total ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  });
});
