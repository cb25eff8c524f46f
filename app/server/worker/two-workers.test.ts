import { type Db, openDatabase } from "@cartback/db";
import { randomShop } from "@cartback/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { depsFromProfiles } from "../campaigns/deps.ts";
import { ensureDefaultCampaign } from "../campaigns/repository.ts";
import { type SmtpSink, startSmtpSink } from "../mail/testing.ts";
import { createTestRuntime } from "../testing.ts";
import { fixtureProfile } from "./fixture-worker.ts";
import { insertDueEpisodes, spawnFixtureWorker } from "./process-testing.ts";
import { startWorker } from "./worker.ts";
import { createSmtpTransport } from "../mail/smtp.ts";

const SENDS = 1000;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink({ parse: false });
});
afterAll(() => sink.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function duplicatesIn(ids: string[]): number {
  return ids.length - new Set(ids).size;
}

describe("several workers", () => {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    it("two worker processes on one PostgreSQL send 1,000 due emails exactly once", { timeout: 120_000 }, async () => {
      const database = await openDatabase({ url, poolSize: 2 });
      const shop = randomShop("two");
      const campaign = await ensureDefaultCampaign(database.db as Db, shop);
      await insertDueEpisodes(database, shop, campaign.id, SENDS);
      const before = sink.accepted.length;
      const env = { DATABASE_URL: url, SMTP_URL: sink.url, CARTBACK_ONLY_SHOP: shop, CARTBACK_POLL_MS: "50", CARTBACK_BATCH: "50" };
      const workers = [spawnFixtureWorker(env), spawnFixtureWorker(env)];
      await Promise.all(workers.map((w) => w.ready));
      const deadline = Date.now() + 90_000;
      const count = async () => Number((await database.query("select count(*)::int as n from campaign_sends where shop = $1 and status = 'sent'", [shop])).rows[0]!.n);
      while (Date.now() < deadline && (await count()) < SENDS) await sleep(200);
      for (const w of workers) w.child.kill("SIGTERM");
      await Promise.all(workers.map((w) => w.exited));
      const { rows } = await database.query("select count(*)::int as n, count(distinct episode_id)::int as e from campaign_sends where shop = $1", [shop]);
      await database.close();
      const ids = sink.accepted.slice(before).map((m) => m.messageId);
      expect(rows[0]).toEqual({ n: SENDS, e: SENDS });
      expect(ids).toHaveLength(SENDS);
      expect(duplicatesIn(ids)).toBe(0);
    });
  }

  it("two workers in one process on one PGlite send each due email exactly once", { timeout: 120_000 }, async () => {
    const database = await openDatabase({ memory: true });
    const shop = randomShop("two");
    const campaign = await ensureDefaultCampaign(database.db as Db, shop);
    await insertDueEpisodes(database, shop, campaign.id, 150);
    const before = sink.accepted.length;
    const runtime = createTestRuntime(database);
    const deps = depsFromProfiles(fixtureProfile);
    const transport = createSmtpTransport({ url: sink.url });
    const options = { deps, transport, pollMs: 20, batchSize: 25, onlyShops: [shop] };
    const workers = [await startWorker(runtime, options), await startWorker(runtime, options)];
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && sink.accepted.length - before < 150) await sleep(100);
    await sleep(300);
    for (const w of workers) await w.stop();
    await transport.close();
    await database.close();
    const ids = sink.accepted.slice(before).map((m) => m.messageId);
    expect(ids).toHaveLength(150);
    expect(duplicatesIn(ids)).toBe(0);
  });
});
