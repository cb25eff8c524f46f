import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { generateProducts } from "@cartback/shopify-fake";
import { expect, it } from "vitest";
import { catalogSyncStatus } from "./status.ts";
import { completeSyncFromBulkOperation, pollSync, startFullSync } from "./sync.ts";
import { catalogHarness } from "./testing.ts";
import { resumeRunningSyncs, setCatalogSync } from "./toggle.ts";

const noWait = { sleep: async () => {}, pollIntervalMs: 0 };

describeEachDatabase("Catalog Sync status", (database) => {
  it("says 'On — never synced' while the first sync runs or after it failed, and when it last synced once one finished", async () => {
    const h = await catalogHarness(database(), randomShop(), { products: generateProducts(4, 2), bulkCompletion: "manual" });
    try {
      const summary = async () => (await catalogSyncStatus(database().db, h.shop)).summary;
      const started = await startFullSync(h.deps, h.shop);
      if (started.type !== "started") throw new Error(started.type);
      expect(await summary()).toBe("On — never synced");
      h.fake.state.bulkFaults = { errorCode: "INTERNAL_SERVER_ERROR" };
      h.fake.state.completeBulk();
      expect(await completeSyncFromBulkOperation(h.deps, h.shop, started.bulkOperationId)).toMatchObject({ type: "failed" });
      expect(await summary()).toBe("On — never synced");

      h.fake.state.bulkFaults = {};
      const second = await startFullSync(h.deps, h.shop);
      if (second.type !== "started") throw new Error(second.type);
      h.fake.state.completeBulk();
      expect(await pollSync(h.deps, h.shop, second.bulkOperationId, noWait)).toMatchObject({ type: "completed", rows: 4 });
      const status = await catalogSyncStatus(database().db, h.shop);
      expect(status.summary).toMatch(/^On — last synced \d{4}-\d\d-\d\d \d\d:\d\d UTC \(4 variants\)$/);
      expect(status.lastSyncedAt).toEqual(status.lastSync?.finishedAt);

      // A later sync that is still running does not make the catalog "never synced" again.
      const third = await startFullSync(h.deps, h.shop);
      expect(third.type).toBe("started");
      expect(await summary()).toMatch(/^On — last synced/);
      await setCatalogSync(h.deps, h.shop, false);
      expect(await summary()).toBe("Off");
    } finally {
      await h.fake.close();
    }
  });

  it("lets a worker finish a sync whose poller is gone, polling each sync once per process", async () => {
    const h = await catalogHarness(database(), randomShop(), { products: generateProducts(3, 2), pollsToComplete: 3 });
    try {
      // What `catalog <shop> on --no-wait` (or a CLI that exited) leaves: a sync nobody polls.
      const started = await setCatalogSync(h.deps, h.shop, true, { pollInBackground: false });
      expect(started).toMatchObject({ type: "enabled", sync: { type: "started" } });
      expect((await catalogSyncStatus(database().db, h.shop)).lastSync?.status).toBe("running");
      const first = await resumeRunningSyncs(h.deps, { pollIntervalMs: 10, shop: h.shop });
      const again = await resumeRunningSyncs(h.deps, { pollIntervalMs: 10, shop: h.shop });
      expect([first.length, again.length]).toEqual([1, 0]);
      await Promise.all(first);
      expect(await catalogSyncStatus(database().db, h.shop)).toMatchObject({ summary: expect.stringMatching(/^On — last synced/), lastSync: { status: "completed", rows: 3 } });
    } finally {
      await h.fake.close();
    }
  });
});
