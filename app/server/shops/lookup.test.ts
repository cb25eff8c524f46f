import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
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
