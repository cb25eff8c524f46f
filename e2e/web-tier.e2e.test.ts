import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerProcess, type WorkerProcess } from "../scripts/soak/worker-process.ts";
import type { E2eVariant } from "./support/catalog.ts";
import { expectCartEmail } from "./support/email.ts";
import { type E2eShop, startE2eShop, waitForMailTo } from "./support/shop.ts";
import { cartPayload, newCartToken } from "./support/webhooks.ts";

// Past one machine (issue 18): the web tier (`npm start` with CARTBACK_WORKER=off) absorbs a
// sale-day burst by queueing it for the workers' drains (`npm run worker`), but only while a
// worker runs: with none anywhere a queued event would wait for good, so it is applied before
// its answer. Burst rates are lowered (5 requests a second) so a test can make one.
process.env.TEST_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";

interface Summary {
  queued?: number;
  rejected: number;
  results: { status: string }[];
}

describe("a web process without a worker, in a burst", () => {
  let shop: E2eShop;
  let worker: WorkerProcess | null = null;
  beforeAll(async () => {
    shop = await startE2eShop({ database: "postgres", campaign: { steps: "3s" }, env: { CARTBACK_WORKER: "off", CARTBACK_EVENT_BURST: "5", CARTBACK_WEBHOOK_BURST: "5" } });
  }, 300_000);
  afterAll(async () => {
    await worker?.stop();
    await shop?.stop();
  });

  const add = (clientId: string, v: E2eVariant, quantity = 1) => ({
    id: randomUUID(), name: "Added to Cart", occurredAt: new Date().toISOString(), clientId, variantId: v.id, quantity, price: v.price, currency: "USD",
  });
  const api = async (events: object[]): Promise<Summary> => {
    const response = await fetch(`${shop.app.url}/api/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${shop.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ events }),
    });
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(200);
    return JSON.parse(text) as Summary;
  };
  /** 40 browsers' requests at once, and 20 signed cart webhooks; the statuses of both. */
  const burst = async (tag: string) => {
    const v = shop.variants[0]!;
    const events = await Promise.all(Array.from({ length: 40 }, (_, i) => api([add(`${tag}-${i}-${randomUUID().slice(0, 6)}`, v)])));
    const at = new Date().toISOString();
    const hooks = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const response = await shop.app.webhook({ topic: "carts/update", raw: cartPayload(newCartToken(), at, at, [{ variant: v, quantity: 1 }]) });
        expect(response.status).toBe(200);
        return (await response.json()) as { queued?: boolean };
      }),
    );
    return { events: events.flatMap((a) => a.results.map((r) => r.status)), webhooksQueued: hooks.filter((h) => h.queued).length };
  };
  const health = async () =>
    (await (await fetch(`${shop.app.url}/healthz`)).json()) as { worker: { state: string; drainsElsewhere?: number }; eventInbox: { waiting: number }; webhookInbox: { waiting: number } };

  it("applies a burst before answering while no worker runs anywhere", async () => {
    expect((await health()).worker).toMatchObject({ state: "off", drainsElsewhere: 0 });
    // Two bursts: the second comes after the process has read that no drain runs.
    for (const tag of ["alone-a", "alone-b"]) {
      const { events, webhooksQueued } = await burst(tag);
      expect(events.filter((s) => s !== "accepted"), tag).toEqual([]);
      expect(webhooksQueued, tag).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
    }
    const after = await health();
    expect([after.eventInbox.waiting, after.webhookInbox.waiting]).toEqual([0, 0]);
  });

  it("queues a burst for a worker's drain once one runs; the worker applies every event and mails the cart", { timeout: 300_000 }, async () => {
    worker = await startWorkerProcess(shop.app.child.pid!);
    await expect.poll(async () => (await health()).worker.drainsElsewhere, { timeout: 30_000 }).toBe(1);
    // The web process reads who drains at most every 2 s: bursts until it has.
    let queued: { events: string[]; webhooksQueued: number } | null = null;
    for (let round = 0; round < 10 && !queued; round++) {
      const result = await burst(`worker-${round}`);
      if (result.events.includes("queued")) queued = result;
      else await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(queued, "a burst answered queued within 10 rounds").not.toBeNull();
    expect(queued!.events.every((s) => s === "accepted" || s === "queued")).toBe(true);
    expect(queued!.events.filter((s) => s === "queued").length).toBeGreaterThan(20);
    expect(queued!.webhooksQueued).toBeGreaterThan(5);

    // A shopper abandons in the burst: the worker's drain applies it and the worker mails it.
    const [beanie, socks] = shop.variants;
    const ana = { clientId: `ana-${randomUUID().slice(0, 8)}`, email: `ana.${randomUUID().slice(0, 8)}@example.com` };
    const answers = await Promise.all([
      api([add(ana.clientId, beanie!), add(ana.clientId, socks!, 2), { id: randomUUID(), name: "Identify", occurredAt: new Date().toISOString(), clientId: ana.clientId, email: ana.email, marketingConsent: "subscribed", via: "form" }]),
      ...Array.from({ length: 20 }, (_, i) => api([add(`crowd-${i}-${randomUUID().slice(0, 6)}`, socks!)])),
    ]);
    expect(answers.every((a) => a.rejected === 0)).toBe(true);
    await expect.poll(async () => {
      const h = await health();
      return [h.eventInbox.waiting, h.webhookInbox.waiting];
    }, { timeout: 60_000 }).toEqual([0, 0]);
    const mail = await waitForMailTo(shop, ana.email, 60_000);
    expectCartEmail(mail, [{ variant: beanie!, quantity: 1 }, { variant: socks!, quantity: 2 }], shop.variants);
    expect(worker.takeErrors(), "error lines the worker logged").toEqual([]);
  });

  it("applies bursts inline again once the worker has stopped", { timeout: 120_000 }, async () => {
    await worker!.stop();
    worker = null;
    await expect.poll(async () => (await health()).worker.drainsElsewhere, { timeout: 30_000 }).toBe(0);
    let inline = false;
    for (let round = 0; round < 10 && !inline; round++) {
      const { events, webhooksQueued } = await burst(`after-${round}`);
      inline = events.every((s) => s === "accepted") && webhooksQueued === 0;
      if (!inline) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(inline, "a burst applied inline within 10 rounds").toBe(true);
  });
});
