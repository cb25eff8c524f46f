import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { generateProducts } from "@cartback/shopify-fake";
import { expect, it, vi } from "vitest";
import { signIn } from "../server/admin-auth/session.ts";
import { catalogSyncStatus } from "../server/catalog/status.ts";
import { catalogHarness } from "../server/catalog/testing.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { action, loader } from "./app.catalog.tsx";
import { loader as exportLoader } from "./app.catalog.export.tsx";

describeEachDatabase("admin Catalog page", (database) => {
  it("turns Catalog Sync on, shows progress and rows, imports and exports CSV", async () => {
    const products = generateProducts(8, 2);
    const h = await catalogHarness(database(), randomShop(), { products, bulkCompletion: "immediate" }, false);
    try {
      const runtime = createTestRuntime(database(), { ...h.env, ADMIN_PASSWORD: "correct horse battery" });
      const cookie = (await signIn(runtime, new Request("http://localhost/auth/login"))).headers.get("set-cookie")!.split(";")[0]!;
      const post = async (fields: Record<string, string | Blob>) => {
        const body = new FormData();
        for (const [k, v] of Object.entries(fields)) body.append(k, v);
        const res = await action(routeArgs(runtime, new Request("http://localhost/app/catalog", { method: "POST", body, headers: { cookie } })) as never);
        return (await res.json()) as { type: string; message: string };
      };
      const load = async (query = "") => {
        const res = await loader(routeArgs(runtime, new Request(`http://localhost/app/catalog${query}`, { headers: { cookie } })) as never);
        return (await res.json()) as { status: { enabled: boolean; shopifyRowCount: number; lastSync: { status: string } | null }; rows: Array<{ Identity: string; Name: string }> };
      };

      expect((await load()).status).toMatchObject({ enabled: false, lastSync: null });
      expect(await post({ intent: "toggle", enabled: "on" })).toMatchObject({ type: "ok" });
      await vi.waitFor(async () => expect((await catalogSyncStatus(database().db, h.shop)).lastSync?.status).toBe("completed"), { timeout: 10_000, interval: 50 });
      const loaded = await load("?q=product%203");
      expect(loaded.status).toMatchObject({ enabled: true, shopifyRowCount: 8 });
      expect(loaded.rows.map((r) => r.Identity).sort()).toEqual(products[3]!.variants.map((v) => v.id).sort());

      const bad = await post({ intent: "import", name: "gifts", file: new File(["Identity,Name,ImageURL\n1,ok,\nx,bad,\n"], "gifts.csv", { type: "text/csv" }) });
      expect(bad).toMatchObject({ type: "error", message: expect.stringContaining("line 3 (Identity)") });
      const good = await post({ intent: "import", name: "gifts", file: new File(["Identity,Name,ImageURL\n1,ok,\n"], "gifts.csv", { type: "text/csv" }) });
      expect(good).toEqual({ type: "ok", message: "Imported 1 rows into gifts." });
      const exported = await exportLoader(routeArgs(runtime, new Request("http://localhost/app/catalog/export?name=gifts", { headers: { cookie } })) as never);
      expect(await exported.text()).toContain("\r\n1,ok,,");

      expect(await post({ intent: "toggle" })).toMatchObject({ type: "ok", message: expect.stringContaining("off") });
      expect((await load()).status).toMatchObject({ enabled: false, shopifyRowCount: 8 });
    } finally {
      await h.fake.close();
    }
  });
});
