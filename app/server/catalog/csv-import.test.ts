import { shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { exportCatalogCsv, importCatalogCsv } from "./csv-import.ts";
import { getCatalogRows } from "./repository.ts";

const GOOD = "Identity,Name,ImageURL,Price,CompareAtPrice\n101,Mug,,12.50,15\n102,Tee,,9.00,\n";

describeEachDatabase("catalog CSV import", (database) => {
  async function exported(shop: string, name: string): Promise<string> {
    let text = "";
    for await (const chunk of exportCatalogCsv(database().db, shop, name)) text += chunk;
    return text;
  }

  it("refuses the whole file when a price is negative or finer than the currency, and keeps the live catalog", async () => {
    const shop = randomShop();
    await database().db.insert(shops).values({ shop, currency: "EUR" });
    expect(await importCatalogCsv(database(), shop, "gifts", GOOD)).toEqual({ type: "imported", catalog: "gifts", rows: 2 });
    const before = await exported(shop, "gifts");

    const bad = "Identity,Name,ImageURL,Price,CompareAtPrice,Currency\n201,Fine,,1.00,,\n202,Refund,,-5,,\n203,Mug,,29.999,,\n204,Yukata,,5.5,,JPY\n205,Cap,,10,-1,\n";
    expect(await importCatalogCsv(database(), shop, "gifts", bad)).toEqual({ type: "invalid_csv", errors: [
      { line: 3, column: "Price", message: "must not be negative" },
      { line: 4, column: "Price", message: "has more than 2 decimal places, which EUR does not have" },
      { line: 5, column: "Price", message: "must be a whole amount: JPY has no minor unit" },
      { line: 6, column: "CompareAtPrice", message: "must not be negative" },
    ] });

    expect(await exported(shop, "gifts")).toBe(before);
    expect((await getCatalogRows(database().db, shop, "gifts", ["101", "102", "201"])).map((r) => r.Identity).sort()).toEqual(["101", "102"]);
    expect(await importCatalogCsv(database(), shop, "fresh", bad)).toMatchObject({ type: "invalid_csv" });
    expect(await exported(shop, "fresh")).toBe("");
  });
});
