import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { randomUUID } from "node:crypto";
import { campaignSends, campaigns, openDatabase, revenueOrders } from "@cartback/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const run = promisify(execFile);

describe("npx cartback report", () => {
  let dir: string;
  const cli = (...args: string[]) =>
    run(process.execPath, ["scripts/cartback.mjs", ...args], { cwd: ROOT, env: { ...process.env, NODE_ENV: "test", CARTBACK_DATA_DIR: dir, SMTP_URL: "", DATABASE_URL: "", LOG_LEVEL: "silent" } });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cartback-report-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("prints the shop's results and names a bad flag", { timeout: 120_000 }, async () => {
    const shop = "report-cli.myshopify.com";
    await cli("install", shop);
    const text = await cli("report", shop, "--days", "7");
    expect(text.stdout).toContain("recovered revenue $0.00");
    expect(text.stdout).toContain("funnel: abandoned 0 → emailed 0 → clicked 0 → recovered 0");
    expect(text.stdout).toContain("holdout lift: no holdout in this period");
    expect(text.stdout).toContain("recovered by rule: none");
    expect(text.stdout).toContain("A/B tests: none in this period");
    await expect(cli("report", shop, "--days", "x")).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("--days") });
  });

  it("prints the A/B table per tested step with its interval and verdict, and recovered orders by rule", { timeout: 120_000 }, async () => {
    const shop = "report-ab.myshopify.com";
    await cli("install", shop);
    await seedAbTest(dir, shop);
    const { stdout } = await cli("report", shop, "--days", "7");
    // Step 1: 40 recipients each; half of B's ordered $20.00 (by its code), none of A's.
    expect(stdout).toContain("step 1:\n    A: 40 recipient(s), 0 recovered order(s), $0.00 per recipient\n    B: 40 recipient(s), 20 recovered order(s), $10.00 per recipient");
    expect(stdout).toMatch(/B - A per recipient \+\$10\.00 \(95% CI \+\$6\.\d\d to \+\$13\.\d\d\): winner B/);
    // Step 2: 3 recipients a side and one order on A's: an interval, but too few to name a winner.
    expect(stdout).toMatch(/step 2:\n {4}A: 3 recipient\(s\), 1 recovered order\(s\), \$6\.67 per recipient\n {4}B: 3 recipient\(s\), 0 recovered order\(s\), \$0\.00 per recipient\n {4}B - A per recipient -\$6\.67 \(95% CI [^)]*\): no winner yet/);
    expect(stdout).toContain("recovered by rule:\n  discount_code: 20 order(s) $400.00\n  click: 1 order(s) $20.00");
    const json = JSON.parse((await cli("report", shop, "--days", "7", "--json")).stdout) as { ab: { result: { winner: string | null } }[]; rules: { rule: string; orders: number }[] };
    expect(json.ab.map((s) => s.result.winner)).toEqual(["B", null]);
    expect(json.rules.map((r) => [r.rule, r.orders])).toEqual([["discount_code", 20], ["click", 1]]);
  });
});

/** Sends of an A/B-tested campaign and their orders, written to the CLI's PGlite while no CLI runs. */
async function seedAbTest(dataDir: string, shop: string): Promise<void> {
  const database = await openDatabase({ dataDir });
  try {
    const db = database.db;
    const [campaign] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.shop, shop));
    const campaignId = campaign!.id;
    const at = new Date(Date.now() - 3_600_000);
    const send = async (step: number, variant: "A" | "B", orderMinor: number | null, rule = "discount_code") => {
      const episodeId = randomUUID();
      await db.insert(campaignSends).values({ id: randomUUID(), shop, campaignId, episodeId, profileId: "p", step, variant, idempotencyKey: randomUUID(), status: "sent", toEmail: "x@example.com", message: {}, dueAt: at, createdAt: at });
      if (orderMinor !== null) {
        await db.insert(revenueOrders).values({ shop, orderId: randomUUID(), profileId: "p", orderedAt: new Date(), totalMinor: orderMinor, currency: "USD", rule, exposure: "emailed", campaignId, episodeId, firstForEpisode: true });
      }
    };
    for (let i = 0; i < 40; i++) await send(0, "A", null);
    for (let i = 0; i < 40; i++) await send(0, "B", i % 2 === 0 ? 2000 : null);
    for (let i = 0; i < 3; i++) await send(1, "A", i === 0 ? 2000 : null, "click");
    for (let i = 0; i < 3; i++) await send(1, "B", null);
  } finally {
    await database.close();
  }
}
