import path from "node:path";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { generateProducts, productsFromBulkJsonl, productsFromJsonFile } from "@cartback/shopify-fake";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { getCatalogRows } from "./repository.ts";
import { catalogSyncStatus, progressLine } from "./status.ts";
import { completeSyncFromBulkOperation, pollSync, runFullSync, startFullSync } from "./sync.ts";
import { catalogHarness, SHOPIFY_FIXTURES } from "./testing.ts";
import { resumeRunningSyncs } from "./toggle.ts";

const noWait = { sleep: async () => {}, pollIntervalMs: 0 };
const REST_DUMP = path.join(SHOPIFY_FIXTURES, "generated/admin-rest-products.json");
const realBulk = () => ["products", "variants"]
  .map((n) => readFileSync(path.join(SHOPIFY_FIXTURES, `admin-graphql-bulk/gatsby-source-shopify/packages__gatsby-source-shopify____tests____fixtures__bulk-results__${n}.jsonl`), "utf8"))
  .join("\n");

describeEachDatabase("full catalog sync", (database) => {
  const stagedCount = async (shop: string) =>
    Number((await database().query("select (select count(*) from catalog_sync_products where shop = $1) + (select count(*) from catalog_sync_variants where shop = $1) as n", [shop])).rows[0]!.n);

  it("syncs a real products dump served as shuffled bulk JSONL, children before parents", async () => {
    const products = productsFromJsonFile(REST_DUMP);
    const variants = products.flatMap((p) => p.variants);
    const h = await catalogHarness(database(), randomShop(), { products, lineOrder: "shuffled" });
    try {
      const result = await runFullSync(h.deps, h.shop, noWait);
      expect(result).toMatchObject({ type: "completed", rows: variants.length });
      const some = variants.slice(0, 3).map((v) => v.id);
      const rows = await getCatalogRows(database().db, h.shop, "shopify-catalog", [...some, "1"]);
      expect(rows.map((r) => r.Identity).sort()).toEqual([...some].sort());
      const status = await catalogSyncStatus(database().db, h.shop);
      expect(status.lastSync).toMatchObject({ status: "completed", fraction: 1, processed: products.length + variants.length, total: products.length + variants.length });
      expect(status.shopifyRowCount).toBe(variants.length);
      expect(progressLine(status)).toBe(`Catalog sync: done, ${variants.length} variants`);
    } finally {
      await h.fake.close();
    }
  });

  it("syncs the real bulk JSONL samples with images falling back to the product's, or null", async () => {
    const h = await catalogHarness(database(), randomShop(), { products: productsFromBulkJsonl(realBulk()), lineOrder: "children-first", shopInfo: { currencyCode: "CAD" } });
    try {
      expect(await runFullSync(h.deps, h.shop, noWait)).toMatchObject({ type: "completed", rows: 6 });
      const [small, copy] = await getCatalogRows(database().db, h.shop, "shopify-catalog", ["41007759589582", "41009157243086"])
        .then((rows) => rows.sort((a, b) => a.Identity.localeCompare(b.Identity)));
      expect(small).toMatchObject({ Name: "Test Product - Small", Price: 100, Currency: "CAD", ImageURL: expect.stringContaining("placeholder_") });
      expect(copy).toMatchObject({ Name: "Copy of Test Product - Small", ImageURL: null, Available: false });
    } finally {
      await h.fake.close();
    }
  });

  it("keeps ids above 2^53 exact and titles with unicode and HTML as they are", async () => {
    const products = generateProducts(12, 3);
    const h = await catalogHarness(database(), randomShop(), { products });
    try {
      await runFullSync(h.deps, h.shop, noWait);
      const variant = products[1]!.variants[2]!;
      expect(BigInt(variant.id) > 2n ** 53n).toBe(true);
      const [row] = await getCatalogRows(database().db, h.shop, "shopify-catalog", [variant.id]);
      expect(row).toMatchObject({ Identity: variant.id, ProductId: products[1]!.id, Name: `${products[1]!.title} - Size 3` });
      expect(row!.Name).toContain("“Ünïcode” & <b>HTML</b>");
    } finally {
      await h.fake.close();
    }
  });

  it("stages what falls outside a tiny product window, joins it back, and leaves nothing staged", async () => {
    const products = generateProducts(90, 3);
    const h = await catalogHarness(database(), randomShop(), { products, lineOrder: "shuffled" });
    h.deps.productWindow = 2;
    h.deps.batchSize = 7;
    try {
      expect(await runFullSync(h.deps, h.shop, noWait)).toMatchObject({ type: "completed", rows: 90 });
      const ids = products.flatMap((p) => p.variants.map((v) => v.id));
      const rows = await getCatalogRows(database().db, h.shop, "shopify-catalog", ids);
      expect(rows).toHaveLength(90);
      for (const product of products) {
        const own = rows.filter((r) => r.ProductId === product.id);
        expect(own.map((r) => r.Identity).sort()).toEqual(product.variants.map((v) => v.id).sort());
        expect(own.every((r) => r.Name.startsWith(product.title))).toBe(true);
      }
      expect(await stagedCount(h.shop)).toBe(0);
    } finally {
      await h.fake.close();
    }
  });

  it("removes vanished rows only when the new sync completes", async () => {
    const products = generateProducts(20, 2);
    const h = await catalogHarness(database(), randomShop(), { products });
    try {
      await runFullSync(h.deps, h.shop, noWait);
      const gone = products[0]!.variants[0]!.id;
      h.fake.state.products = products.slice(1);
      const started = await startFullSync(h.deps, h.shop);
      if (started.type !== "started") throw new Error(started.type);
      expect(await completeSyncFromBulkOperation(h.deps, h.shop, started.bulkOperationId)).toMatchObject({ type: "still_running" });
      expect(await getCatalogRows(database().db, h.shop, "shopify-catalog", [gone])).toHaveLength(1);
      expect(await pollSync(h.deps, h.shop, started.bulkOperationId, noWait)).toMatchObject({ type: "completed", rows: 18 });
      expect(await getCatalogRows(database().db, h.shop, "shopify-catalog", [gone])).toEqual([]);
    } finally {
      await h.fake.close();
    }
  });

  const failures = [
    { name: "an operation that ends with an errorCode and partial data", faults: { errorCode: "INTERNAL_SERVER_ERROR", partial: true }, code: "INTERNAL_SERVER_ERROR", error: /partial data was offered/ },
    { name: "an expired result URL", faults: { expired: true }, code: "RESULT_EXPIRED", error: /expires 7 days/ },
    { name: "a malformed line", faults: { malformedLine: 17 }, code: "MALFORMED_LINE", error: /^line 17 / },
    { name: "a download that breaks off halfway", faults: { abortAfterLines: 30 }, code: "RESULT_INCOMPLETE", error: /broke off/ },
  ];
  for (const failure of failures) {
    it(`keeps the previous catalog after ${failure.name}`, async () => {
      const products = generateProducts(40, 2);
      const h = await catalogHarness(database(), randomShop(), { products, lineOrder: "shuffled" });
      // A small window: the failure strikes with rows staged, and the staging must go too.
      h.deps.productWindow = 3;
      try {
        await runFullSync(h.deps, h.shop, noWait);
        const before = await catalogSyncStatus(database().db, h.shop);
        h.fake.state.products = generateProducts(40, 2, 2);
        h.fake.state.bulkFaults = failure.faults;
        const result = await runFullSync(h.deps, h.shop, noWait);
        expect(result).toMatchObject({ type: "failed", errorCode: failure.code, error: expect.stringMatching(failure.error) });
        const after = await catalogSyncStatus(database().db, h.shop);
        expect(after.shopifyRowCount).toBe(before.shopifyRowCount);
        expect(after.lastSync).toMatchObject({ status: "failed", errorCode: failure.code });
        const ids = products.flatMap((p) => p.variants.map((v) => v.id));
        expect(await getCatalogRows(database().db, h.shop, "shopify-catalog", ids)).toHaveLength(40);
        const [{ n }] = (await database().query("select count(*)::int as n from catalog_rows where shop = $1", [h.shop])).rows as [{ n: number }];
        expect(n).toBe(40);
        expect(await stagedCount(h.shop)).toBe(0);
      } finally {
        await h.fake.close();
      }
    });
  }

  it("does nothing while Catalog Sync is off, and refuses a second sync while one runs", async () => {
    const off = await catalogHarness(database(), randomShop(), { products: generateProducts(4) }, false);
    const on = await catalogHarness(database(), randomShop(), { products: generateProducts(4) });
    try {
      expect(await startFullSync(off.deps, off.shop)).toEqual({ type: "disabled" });
      const first = await startFullSync(on.deps, on.shop);
      expect(first.type).toBe("started");
      expect(await startFullSync(on.deps, on.shop)).toMatchObject({ type: "already_running" });
    } finally {
      await off.fake.close();
      await on.fake.close();
    }
  });

  it("finishes, after a restart, a sync that was waiting on Shopify", async () => {
    const h = await catalogHarness(database(), randomShop(), { products: generateProducts(10, 2) });
    try {
      const started = await startFullSync(h.deps, h.shop);
      expect(started.type).toBe("started");
      // A new process: nothing is polling this sync any more.
      await Promise.all(await resumeRunningSyncs(h.deps, { pollIntervalMs: 0, shop: h.shop }));
      expect((await catalogSyncStatus(database().db, h.shop)).lastSync).toMatchObject({ status: "completed", rows: 10 });
    } finally {
      await h.fake.close();
    }
  });
});
