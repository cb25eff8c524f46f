import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { generateProducts } from "@cartback/shopify-fake";
import { expect, it } from "vitest";
import { getCatalogRows } from "../server/catalog/repository.ts";
import { runFullSync } from "../server/catalog/sync.ts";
import { catalogHarness } from "../server/catalog/testing.ts";
import { issueApiKey } from "../server/shops/keys.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { action, loader } from "./api.v1.catalogs.$name.ts";

const GOOD = 'Identity,Name,ImageURL,Price,Brand\n101,"Mug, large",https://cdn.example/m.png,12.50,Acme\n102,Crème <b>brûlée</b> 🍮,,9.00,\n';

describeEachDatabase("catalog CSV API", (database) => {
  async function setup() {
    const h = await catalogHarness(database(), randomShop(), { products: generateProducts(6, 2) });
    const runtime = createTestRuntime(database(), h.env);
    const key = await issueApiKey(database().db, h.shop);
    const call = async (method: string, name: string, body?: string, auth = `Bearer ${key}`) => {
      const request = new Request(`http://localhost/api/v1/catalogs/${name}`, { method, body, headers: { authorization: auth, "content-type": "text/csv" } });
      const args = routeArgs(runtime, request, { name }) as never;
      return method === "GET" ? loader(args) : action(args);
    };
    return { h, call };
  }

  it("imports a CleverTap CSV and exports it back", async () => {
    const { h, call } = await setup();
    try {
      const imported = await call("PUT", "gifts", GOOD);
      expect(await imported.json()).toEqual({ catalog: "gifts", rows: 2 });
      const rows = await getCatalogRows(database().db, h.shop, "gifts", ["101", "102"]);
      expect(rows.find((r) => r.Identity === "101")).toMatchObject({ Name: "Mug, large", Price: 1250, ImageURL: "https://cdn.example/m.png" });
      const exported = await call("GET", "gifts");
      expect(exported.headers.get("content-type")).toMatch(/^text\/csv/);
      const csv = await exported.text();
      expect(csv.split("\r\n")[0]).toBe("Identity,Name,ImageURL,Price,CompareAtPrice,Currency,ProductURL,SKU,Available,InventoryQuantity,Vendor,ProductType,Handle,ProductId,Status,UpdatedAt,Brand");
      expect(csv).toContain('101,"Mug, large",https://cdn.example/m.png,12.50,,USD,');
      expect(csv).toContain("Crème <b>brûlée</b> 🍮");
      expect(await (await call("PUT", "gifts-copy", csv)).json()).toEqual({ catalog: "gifts-copy", rows: 2 });
    } finally {
      await h.fake.close();
    }
  });

  it("reports bad rows by line number and leaves the catalog as it was", async () => {
    const { h, call } = await setup();
    try {
      await call("PUT", "gifts", GOOD);
      const bad = await call("PUT", "gifts", "Identity,Name,ImageURL,Price\n201,Fine,,1.00\nxyz,Bad,,1.00\n203,Bad price,,ten\n");
      expect(bad.status).toBe(422);
      const body = (await bad.json()) as { error: { field: string }; errors: unknown[] };
      expect(body.error.field).toBe("line 3, Identity");
      expect(body.errors).toEqual([
        { line: 3, column: "Identity", message: "must be a variant id (digits only)" },
        { line: 4, column: "Price", message: "must be a decimal amount like 29.99" },
      ]);
      expect((await getCatalogRows(database().db, h.shop, "gifts", ["101", "102", "201"])).map((r) => r.Identity).sort()).toEqual(["101", "102"]);
    } finally {
      await h.fake.close();
    }
  });

  it("exports the synced catalog, refuses to overwrite it, and wants the API key", async () => {
    const { h, call } = await setup();
    try {
      await runFullSync(h.deps, h.shop, { sleep: async () => {} });
      const csv = await (await call("GET", "shopify-catalog")).text();
      expect(csv.trim().split("\r\n")).toHaveLength(7);
      expect((await call("PUT", "shopify-catalog", GOOD)).status).toBe(409);
      expect((await call("GET", "nope")).status).toBe(404);
      expect((await call("GET", "gifts", undefined, "Bearer cbk_wrong")).status).toBe(401);
      expect((await call("PUT", "Bad Name", GOOD)).status).toBe(400);
    } finally {
      await h.fake.close();
    }
  });
});
