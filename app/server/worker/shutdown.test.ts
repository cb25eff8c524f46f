import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Db, openDatabase } from "@cartback/db";
import { randomShop } from "@cartback/db/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import { ensureDefaultCampaign } from "../campaigns/repository.ts";
import { insertDueEpisodes, spawnFixtureWorker } from "./process-testing.ts";
import { STOP_TIMEOUT_MS } from "./worker.ts";

const SENDS = 40;
/** stop() itself is bounded by STOP_TIMEOUT_MS + 1 s; closing the database and exiting (slow on a loaded machine) take the rest. */
const EXIT_BOUND_MS = STOP_TIMEOUT_MS + 1_000 + 4_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A relay that accepts TCP connections and never says a word (no greeting, no reply). */
async function silentRelay() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: () => sockets.size,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("worker shutdown during an SMTP outage", () => {
  it(`exits within ${EXIT_BOUND_MS / 1000} s of SIGTERM while its sends hang at a silent relay, and hands back the sends it had not started`, { timeout: 90_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cartback-shutdown-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const relay = await silentRelay();
    onTestFinished(() => relay.close());
    const shop = randomShop("shutdown");
    let database = await openDatabase({ dataDir: dir });
    const campaign = await ensureDefaultCampaign(database.db as Db, shop);
    await insertDueEpisodes(database, shop, campaign.id, SENDS);
    await database.close();

    const worker = spawnFixtureWorker({ CARTBACK_DATA_DIR: dir, SMTP_URL: relay.url, CARTBACK_ONLY_SHOP: shop, CARTBACK_POLL_MS: "50", MAIL_FROM: "shop@example.com" });
    await worker.ready;
    // Every pooled connection is open and waiting for a greeting that never comes.
    while (relay.connections() < 5) await sleep(20);
    await sleep(500);
    const signalled = performance.now();
    worker.child.kill("SIGTERM");
    const code = await worker.exited;
    const exitMs = performance.now() - signalled;

    if (process.env.CARTBACK_REPORT) process.stderr.write(`exited ${Math.round(exitMs)} ms after SIGTERM (code ${code})\n`);
    database = await openDatabase({ dataDir: dir });
    const { rows } = await database.query(
      `select count(*)::int as total,
              count(*) filter (where status = 'sent')::int as sent,
              count(*) filter (where status = 'sending' and next_attempt_at <= now())::int as handed_back
       from campaign_sends where shop = $1`,
      [shop],
    );
    await database.close();
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(EXIT_BOUND_MS);
    // 16 delivery slots: the other sends never reached the transport and are due again at once.
    expect(rows[0]).toEqual({ total: SENDS, sent: 0, handed_back: SENDS - 16 });
  });
});
