import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { shops } from "./schema/index.ts";
import { describeEachDatabase, randomShop } from "./testing.ts";

describeEachDatabase("migrations", (database) => {
  it("applies every migration and records it", async () => {
    const { rows } = await database().query(
      "select count(*)::int as n from drizzle.__drizzle_migrations",
    );
    expect(Number(rows[0]?.n)).toBeGreaterThan(0);
  });

  it("creates the foundation tables with their defaults", async () => {
    const shop = randomShop();
    await database().db.insert(shops).values({ shop });
    const [row] = await database().db.select().from(shops).where(eq(shops.shop, shop));
    expect(row?.cartTrackingEnabled).toBe(true);
    expect(row?.catalogSyncEnabled).toBe(false);
    expect(row?.timezone).toBe("UTC");
  });

  it("is idempotent: migrating an up-to-date database applies nothing new", async () => {
    const count = async () =>
      Number((await database().query("select count(*)::int as n from drizzle.__drizzle_migrations")).rows[0]?.n);
    const before = await count();
    await Promise.all([database().migrate(), database().migrate()]);
    expect(await count()).toBe(before);
  });
});
