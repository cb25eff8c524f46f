import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { describe, expect, it } from "vitest";
import { recordInstall } from "./install.ts";
import { findShop, forgetShop } from "./lookup.ts";

// `npm run fuzz` found POST /collect answering 500 for `"shop": "\u0000…"`: the lookup sent
// the NUL to the database, which cannot hold one in text.
describeEachDatabase("shop lookup by a name from the request body", (database) => {
  it("finds no shop, without a database error, for a name holding NUL or longer than any domain", async () => {
    const shop = randomShop("lookup");
    await recordInstall(database().db, shop);
    forgetShop(database().db);
    expect((await findShop(database().db, shop))?.shop).toBe(shop);
    for (const name of [`${shop}\u0000`, "\u0000", "a\u0000b.myshopify.com", `${"a".repeat(300)}.myshopify.com`]) {
      await expect(findShop(database().db, name)).resolves.toBeNull();
    }
  });
});

/** A Db whose shop selects wait until the test answers them, in any order. */
function heldDb() {
  const queries: { answer: (row: Record<string, unknown>) => void }[] = [];
  const db = {
    select: () => ({
      from: () => ({
        where: () =>
          new Promise((resolve) => {
            queries.push({ answer: (row) => resolve([{ uninstalledAt: null, ...row }]) });
          }),
      }),
    }),
  } as unknown as Parameters<typeof findShop>[0];
  return { db, queries };
}

describe("shop lookups in flight", () => {
  it("shares one query among the requests that find the row expired", async () => {
    const { db, queries } = heldDb();
    const lookups = Array.from({ length: 20 }, () => findShop(db, "busy.myshopify.com"));
    expect(queries).toHaveLength(1);
    queries[0]!.answer({ shop: "busy.myshopify.com", cartTrackingEnabled: true });
    const rows = await Promise.all(lookups);
    expect(rows.every((row) => row === rows[0] && row?.shop === "busy.myshopify.com")).toBe(true);
    // Answered and cached: no further query until it expires.
    await findShop(db, "busy.myshopify.com");
    expect(queries).toHaveLength(1);
  });

  it("does not keep a row read before forgetShop, even when it arrives after the fresh one", async () => {
    const { db, queries } = heldDb();
    const before = findShop(db, "changed.myshopify.com");
    forgetShop(db, "changed.myshopify.com");
    const after = findShop(db, "changed.myshopify.com");
    expect(queries).toHaveLength(2);
    queries[1]!.answer({ shop: "changed.myshopify.com", cartTrackingEnabled: false });
    expect((await after)?.cartTrackingEnabled).toBe(false);
    queries[0]!.answer({ shop: "changed.myshopify.com", cartTrackingEnabled: true });
    expect((await before)?.cartTrackingEnabled).toBe(true);
    expect((await findShop(db, "changed.myshopify.com"))?.cartTrackingEnabled).toBe(false);
    expect(queries).toHaveLength(2);
  });
});
