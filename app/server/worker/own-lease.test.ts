import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Db, openDatabase } from "@cartback/db";
import { randomShop } from "@cartback/db/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import { ensureDefaultCampaign } from "../campaigns/repository.ts";
import { startSmtpSink } from "../mail/testing.ts";
import { insertDueEpisodes, spawnFixtureWorker } from "./process-testing.ts";

const SENDS = 3;
const LEASE_MS = 1_000;
/** The relay answers each message's DATA this late: every send outlives its lease with the transport. */
const RELAY_DELAY_MS = 3_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A loaded machine or a slow relay can keep a send with the transport past its lease. The
// worker holding it is alive: its next round must not resume the send as abandoned and mail
// the shopper a second copy (seen as repeat sends with no crash in crash.test.ts at load 23).
describe("a worker's own slow send", () => {
  it("is delivered once when the relay answers after the lease ran out", { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cartback-own-lease-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const sink = await startSmtpSink({ parse: false, acceptAfterMs: RELAY_DELAY_MS });
    onTestFinished(() => sink.close());
    const shop = randomShop("ownlease");
    const database = await openDatabase({ dataDir: dir });
    const campaign = await ensureDefaultCampaign(database.db as Db, shop);
    await insertDueEpisodes(database, shop, campaign.id, SENDS);
    await database.close();

    const worker = spawnFixtureWorker({ CARTBACK_DATA_DIR: dir, SMTP_URL: sink.url, CARTBACK_ONLY_SHOP: shop, CARTBACK_LEASE_MS: String(LEASE_MS), CARTBACK_POLL_MS: "50" });
    onTestFinished(() => {
      worker.child.kill("SIGKILL");
    });
    await worker.ready;
    while (sink.accepted.length < SENDS) await sleep(50);
    // Long enough for a resumed copy of each send to reach the relay and be answered.
    await sleep(RELAY_DELAY_MS + 2 * LEASE_MS);
    const ids = sink.accepted.map((a) => a.messageId);
    expect(new Set(ids).size).toBe(SENDS);
    expect(ids).toHaveLength(SENDS);
  });
});
