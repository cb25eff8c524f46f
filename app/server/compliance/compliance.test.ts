import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { campaignSends, complianceRequests, profileEvents, profiles, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { expect, it, onTestFinished } from "vitest";
import { action } from "../../routes/webhooks.compliance.ts";
import { findProfileId } from "../profiles/repository.ts";
import { ingest } from "../ingest/service.ts";
import { ingestRuntime, installShop, SECRET, webhookPayload, webhookRequest } from "../ingest/testing.ts";
import { outboxDir } from "../mail/index.ts";
import { createOutboxTransport, outboxFileName } from "../mail/outbox.ts";
import { createTestRuntime, routeArgs } from "../testing.ts";
import { handleCompliance } from "./handle.ts";
import { removeRedactedOutboxFiles } from "./outbox-files.ts";
import { SHOP_TABLES } from "./tables.ts";

const SAMPLES = "generated/webhooks";
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 12, minutes)).toISOString();

/** A payload in Shopify's documented shape, addressed to our test shop. */
function sample(name: string, shop: string): string {
  return webhookPayload(`${SAMPLES}/${name}`).replaceAll("{shop}.myshopify.com", shop);
}

describeEachDatabase("GDPR compliance webhooks", (database) => {
  const runtime = () => ingestRuntime(database());

  async function seed(shop: string) {
    await installShop(database(), shop);
    // John (the sample's customer) on two browsers that merge on his email, and Ana.
    const items = [
      { id: "j1", name: "Added to Cart", occurredAt: at(0), clientId: "browser-1", variantId: "11", quantity: 1 },
      { id: "j2", name: "Identify", occurredAt: at(1), clientId: "browser-1", email: "John@Example.com", via: "form" },
      { id: "j3", name: "Added to Cart", occurredAt: at(2), clientId: "browser-2", customerId: "191167", variantId: "12" },
      { id: "j4", name: "Identify", occurredAt: at(3), clientId: "browser-2", customerId: "191167", email: "john@example.com", via: "login" },
      { id: "a1", name: "Added to Cart", occurredAt: at(4), clientId: "browser-3", email: "ana@example.com", variantId: "13" },
    ];
    const outcome = await ingest(runtime(), { shop, source: "api", items, receivedAt: new Date() });
    expect(outcome.type).toBe("ok");
  }

  const send = (topic: string, shop: string, raw: string, webhookId?: string) =>
    action(routeArgs(runtime(), webhookRequest("compliance", topic, shop, raw, { webhookId })));

  it("exports what Cartback holds about the customer on customers/data_request", async () => {
    const shop = randomShop();
    await seed(shop);
    const response = await send("customers/data_request", shop, sample("customers_data_request.json", shop));
    expect(response.status).toBe(200);
    const [request] = await database().db.select().from(complianceRequests).where(eq(complianceRequests.shop, shop));
    const exported = request?.export as { profiles: { email: string | null }[]; events: { id: string }[] };
    expect(exported.profiles.some((p) => p.email === "john@example.com")).toBe(true);
    expect(exported.events.map((e) => e.id).sort()).toEqual(["j1", "j2", "j3", "j4"]);
    expect(JSON.stringify(exported)).not.toContain("ana@example.com");
  });

  it("deletes the customer's profiles, identities and events on customers/redact, once, and nobody else's", async () => {
    const shop = randomShop();
    await seed(shop);
    const raw = sample("customers_redact.json", shop);
    expect((await send("customers/redact", shop, raw, "redact-1")).status).toBe(200);
    expect(await findProfileId(database().db, shop, "email", "john@example.com")).toBeNull();
    expect(await findProfileId(database().db, shop, "clientId", "browser-1")).toBeNull();
    const events = await database().db.select({ id: profileEvents.id }).from(profileEvents).where(eq(profileEvents.shop, shop));
    expect(events.map((e) => e.id)).toEqual(["a1"]);
    expect(await findProfileId(database().db, shop, "email", "ana@example.com")).not.toBeNull();
    // Shopify's retry of the same delivery is acknowledged without a second record.
    expect((await send("customers/redact", shop, raw, "redact-1")).status).toBe(200);
    const records = await database().db.select().from(complianceRequests).where(eq(complianceRequests.shop, shop));
    expect(records).toHaveLength(1);
  });

  it("deletes the redacted customer's mail from the local outbox and keeps everyone else's", async () => {
    const shop = randomShop();
    await seed(shop);
    const dataDir = await mkdtemp(path.join(tmpdir(), "cartback-redact-"));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const withOutbox = createTestRuntime(database(), { SHOPIFY_API_KEY: "test-key", SHOPIFY_API_SECRET: SECRET, SHOPIFY_APP_URL: "https://cartback.example.com", CARTBACK_DATA_DIR: dataDir });
    const outbox = createOutboxTransport(outboxDir(withOutbox.config));
    // One stored email for John's profile and one for Ana's, as the worker leaves them.
    const files: Record<string, string> = {};
    for (const email of ["john@example.com", "ana@example.com"]) {
      const profileId = (await findProfileId(database().db, shop, "email", email))!;
      const messageId = `<${profileId}.1@cartback.test>`;
      const message = { messageId, from: { name: null, address: "shop@cartback.test" }, replyTo: null, to: email, subject: "Your cart", text: "Still thinking?", html: "<p>Still thinking?</p>", headers: {} };
      expect((await outbox.send(message)).type).toBe("sent");
      await database().db.insert(campaignSends).values({
        id: `send-${profileId}`, shop, campaignId: "c", episodeId: `e-${profileId}`, profileId, step: 1,
        idempotencyKey: `${shop}:${profileId}:1`, status: "sent", toEmail: email, message, dueAt: new Date(),
      });
      files[email] = path.join(outboxDir(withOutbox.config), outboxFileName(messageId));
      expect(existsSync(files[email]!)).toBe(true);
    }
    const raw = sample("customers_redact.json", shop);
    const response = await action(routeArgs(withOutbox, webhookRequest("compliance", "customers/redact", shop, raw)));
    expect(response.status).toBe(200);
    expect(existsSync(files["john@example.com"]!)).toBe(false);
    expect(existsSync(files["ana@example.com"]!)).toBe(true);
    const [request] = await database().db.select().from(complianceRequests).where(eq(complianceRequests.shop, shop));
    expect(request?.outboxPending).toEqual([]);

    // The process dies between the commit and the removal: the request recorded the files,
    // and the next maintenance run removes them.
    const result = await handleCompliance(database().db, { shop, webhookId: "crashed-before-unlink", topic: "shop/redact", payload: {} });
    expect(result).toMatchObject({ type: "done", messageIds: [expect.stringContaining("cartback.test")] });
    expect(existsSync(files["ana@example.com"]!)).toBe(true);
    expect(await removeRedactedOutboxFiles(database().db, outboxDir(withOutbox.config))).toBe(1);
    expect(existsSync(files["ana@example.com"]!)).toBe(false);
    expect(await removeRedactedOutboxFiles(database().db, outboxDir(withOutbox.config))).toBe(0);
    const pending = await database().db.select({ files: complianceRequests.outboxPending }).from(complianceRequests).where(eq(complianceRequests.shop, shop));
    expect(pending.map((r) => r.files)).toEqual([[], []]);
  });

  it("removes every row of the shop from every table on shop/redact and leaves other shops alone", async () => {
    const [shop, other] = [randomShop(), randomShop()];
    await seed(shop);
    await seed(other);
    expect((await send("shop/redact", shop, sample("shop_redact.json", shop))).status).toBe(200);
    for (const { name, table, shop: column } of SHOP_TABLES) {
      if (name === "compliance_requests" || name === "webhook_deliveries") continue;
      const rows = await database().db.select().from(table).where(eq(column, shop));
      expect(rows, name).toEqual([]);
    }
    expect(await database().db.select().from(shops).where(eq(shops.shop, other))).toHaveLength(1);
    const live = await database().db.select().from(profiles).where(and(eq(profiles.shop, other)));
    expect(live.length).toBeGreaterThan(0);
  });

  it("refuses an unsigned request and a payload without a customer", async () => {
    const shop = randomShop();
    await seed(shop);
    const forged = webhookRequest("compliance", "shop/redact", shop, "{}", { secret: "wrong" });
    expect((await action(routeArgs(runtime(), forged))).status).toBe(401);
    const bad = await send("customers/redact", shop, JSON.stringify({ shop_domain: shop }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: "customer" } });
    expect(await database().db.select().from(shops).where(eq(shops.shop, shop))).toHaveLength(1);
  });
});
