import { campaignSends } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { loader as healthz } from "./healthz.ts";

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

function pendingSend(shop: string, n: number, status: "sending" | "retry" | "sent", createdAt: Date) {
  return {
    id: `${shop}-${n}`, shop, campaignId: "c", episodeId: `e${n}`, profileId: `p${n}`, step: 0, idempotencyKey: `${shop}:${n}`,
    status, toEmail: `p${n}@example.com`, message: {}, attempts: 3, nextAttemptAt: status === "sent" ? null : new Date(Date.now() + 60_000),
    dueAt: createdAt, createdAt, lastError: "connect ECONNREFUSED 10.0.0.7:25",
  };
}

async function check(runtime: ReturnType<typeof createTestRuntime>) {
  const response = await healthz(routeArgs(runtime, new Request("http://x/healthz")));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describeEachDatabase("/healthz", (database) => {
  const selfHosted = (shop: string) => createTestRuntime(database(), { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_x", SHOPIFY_API_SECRET: "s" });

  it("reads degraded, still 200, with the age of the oldest send stuck for over two minutes", async () => {
    const shop = randomShop("health");
    const db = database().db;
    try {
      await db.insert(campaignSends).values([pendingSend(shop, 1, "retry", minutesAgo(1)), pendingSend(shop, 2, "sent", minutesAgo(30))]);
      expect(await check(selfHosted(shop))).toMatchObject({ status: 200, body: { status: "ok", mail: { stuckSends: 0, oldestStuckSeconds: null } } });

      await db.insert(campaignSends).values([pendingSend(shop, 3, "sending", minutesAgo(11)), pendingSend(shop, 4, "retry", minutesAgo(3))]);
      const { status, body } = await check(selfHosted(shop));
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: "degraded", database: { ok: true }, mail: { stuckSends: 2 } });
      const oldest = (body.mail as { oldestStuckSeconds: number }).oldestStuckSeconds;
      expect(oldest).toBeGreaterThanOrEqual(660);
      expect(oldest).toBeLessThan(680);
      // Relay errors and addresses stay in the outbox view, not on a public endpoint.
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|example\.com/);
      // Another self-hosted install's stuck mail is not this one's.
      expect(await check(selfHosted(randomShop("health")))).toMatchObject({ status: 200, body: { status: "ok" } });
    } finally {
      await db.delete(campaignSends).where(eq(campaignSends.shop, shop));
    }
  });

  it("answers 503 without the database's error text when the database is down", async () => {
    const secret = "password authentication failed for user cartback_admin at db.internal:5432";
    const down = { ...database(), ping: async () => Promise.reject(new Error(secret)) };
    const runtime = createTestRuntime(down);
    const { status, body } = await check(runtime);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: "unavailable", database: { ok: false, error: "unreachable" } });
    expect(JSON.stringify(body)).not.toContain("cartback_admin");
  });
});
