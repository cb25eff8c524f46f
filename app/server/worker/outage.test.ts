import type { Database, Db } from "@cartback/db";
import { databaseTargets, randomShop } from "@cartback/db/testing";
import { describe, expect, it } from "vitest";
import { depsFromProfiles } from "../campaigns/deps.ts";
import { ensureDefaultCampaign } from "../campaigns/repository.ts";
import { closedPort, startSmtpSink } from "../mail/testing.ts";
import { createTestRuntime } from "../testing.ts";
import { fixtureProfile } from "./fixture-worker.ts";
import { insertDueEpisodes } from "./process-testing.ts";
import { startWorker } from "./worker.ts";

const SENDS = 50;
const OUTAGE_MS = 60_000;
const DEADLINE_MS = 120_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The databases' runs side by side: each spends its first minute waiting out the outage, and
// each has its own database, shop and relay port.
describe.concurrent("campaign worker through an SMTP outage", () => {
  for (const target of databaseTargets()) {
    it(`delivers all ${SENDS} due emails exactly once within two minutes when the relay is down for the first 60 s, without a restart [${target.name}]`, { timeout: DEADLINE_MS + 60_000 }, async () => {
      const database = await target.open();
      const shop = randomShop("outage");
      const campaign = await ensureDefaultCampaign(database.db as Db, shop);
      await insertDueEpisodes(database, shop, campaign.id, SENDS);
      const port = await closedPort();
      const runtime = createTestRuntime(database, { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: "shop@example.com" });
      const started = performance.now();
      const worker = await startWorker(runtime, {
        deps: depsFromProfiles(fixtureProfile),
        onlyShops: [shop],
        pollMs: 100,
      });
      await sleep(OUTAGE_MS);
      const failedDuringOutage = await count(database, shop, "select count(*)::int as n from campaign_decisions where shop = $1 and outcome = 'retrying'");
      const sink = await startSmtpSink({ port, parse: false });
      try {
        const distinct = () => new Set(sink.accepted.map((m) => m.messageId)).size;
        while (distinct() < SENDS && performance.now() - started < DEADLINE_MS) await sleep(250);
        const deliveredAfterMs = performance.now() - started;
        if (process.env.CARTBACK_REPORT) process.stderr.write(`[${target.name}] ${failedDuringOutage} refused attempts; ${distinct()} delivered, the last ${Math.round(deliveredAfterMs / 1000)} s after the start\n`);
        expect(distinct()).toBe(SENDS);
        await worker.stop();
        const sent = await count(database, shop, "select count(*)::int as n from campaign_sends where shop = $1 and status = 'sent'");
        expect(failedDuringOutage).toBeGreaterThanOrEqual(SENDS);
        expect(sink.accepted).toHaveLength(SENDS);
        expect(deliveredAfterMs).toBeLessThan(DEADLINE_MS);
        expect(sent).toBe(SENDS);
      } finally {
        await worker.stop();
        await sink.close();
        await database.close();
      }
    });
  }
});

async function count(database: Database, shop: string, text: string): Promise<number> {
  const { rows } = await database.query(text, [shop]);
  return Number(rows[0]!.n);
}
