import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { generateProducts, type LineOrder } from "@cartback/shopify-fake";
import { expect, it } from "vitest";
import { getCatalogRows } from "./repository.ts";
import { runFullSync } from "./sync.ts";
import { catalogHarness } from "./testing.ts";

const noWait = { sleep: async () => {}, pollIntervalMs: 0 };

/** Real fetch, counting result downloads and letting a test rewrite a download's text. */
function resultFetch(rewrite: (text: string, download: number) => string = (text) => text) {
  const downloads = { count: 0 };
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (!String(input).includes("/bulk-results/")) return response;
    downloads.count++;
    return new Response(rewrite(await response.text(), downloads.count), { status: response.status });
  };
  return { downloads, fetch: wrapped };
}

describeEachDatabase("bulk result ingest", (database) => {
  const orders: LineOrder[] = ["parents-first", "children-first", "shuffled"];
  const windows = [undefined, 1];
  for (const lineOrder of orders) for (const productWindow of windows) {
    it(`syncs every variant from ${lineOrder} lines in one read, ${productWindow ? `spilling past a window of ${productWindow} product` : "with the default window"}`, async () => {
      const products = generateProducts(60, 3);
      const h = await catalogHarness(database(), randomShop(), { products, lineOrder });
      const counted = resultFetch();
      try {
        expect(await runFullSync({ ...h.deps, productWindow, fetch: counted.fetch }, h.shop, noWait)).toMatchObject({ type: "completed", rows: 60 });
        expect(counted.downloads.count).toBe(1);
        const ids = products.flatMap((p) => p.variants.map((v) => v.id));
        const rows = await getCatalogRows(database().db, h.shop, "shopify-catalog", ids);
        expect(rows.map((r) => r.Identity).sort()).toEqual([...ids].sort());
        const sample = rows.find((r) => r.Identity === products[7]!.variants[2]!.id);
        expect(sample).toMatchObject({ ProductId: products[7]!.id, Name: `${products[7]!.title} - Size 3` });
      } finally {
        await h.fake.close();
      }
    });
  }

  it("fails and keeps the previous catalog when the download ends cleanly but short", async () => {
    const products = generateProducts(30, 2);
    // Parents first: the cut leaves no orphan, so only the object count can tell.
    const h = await catalogHarness(database(), randomShop(), { products, lineOrder: "parents-first" });
    try {
      await runFullSync(h.deps, h.shop, noWait);
      h.fake.state.products = generateProducts(30, 2, 2);
      const cut = resultFetch((text) => text.slice(0, text.indexOf("\n", text.length / 2) + 1));
      const result = await runFullSync({ ...h.deps, productWindow: 1, fetch: cut.fetch }, h.shop, noWait);
      expect(result).toMatchObject({ type: "failed", errorCode: "RESULT_INCOMPLETE", error: expect.stringMatching(/Shopify reported/) });
      const kept = await getCatalogRows(database().db, h.shop, "shopify-catalog", products.flatMap((p) => p.variants.map((v) => v.id)));
      expect(kept).toHaveLength(30);
    } finally {
      await h.fake.close();
    }
  });

  it("fails on variants whose product is missing from the whole result", async () => {
    const products = generateProducts(20, 2);
    const h = await catalogHarness(database(), randomShop(), { products, lineOrder: "shuffled" });
    const missing = `"gid://shopify/Product/${products[4]!.id}"`;
    const withoutOne = resultFetch((text) => text.split("\n").filter((line) => !line.startsWith(`{"id":${missing}`)).join("\n"));
    try {
      const result = await runFullSync({ ...h.deps, productWindow: 1, fetch: withoutOne.fetch }, h.shop, noWait);
      expect(result).toMatchObject({ type: "failed", errorCode: "ORPHANED_VARIANTS", error: "2 variants reference products missing from the result" });
    } finally {
      await h.fake.close();
    }
  });
});
