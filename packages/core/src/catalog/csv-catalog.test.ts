import { describe, expect, it } from "vitest";
import { type CatalogEntry, catalogCsvHeader, catalogCsvLine, parseCatalogCsv } from "./csv-catalog.ts";

const defaults = { currency: "USD" };

describe("parseCatalogCsv", () => {
  it("imports CleverTap catalog columns with prices in minor units and keeps extra columns", () => {
    const csv = 'Identity,Name,ImageURL,Price,Brand\r\n101,"Mug, ""large""",https://cdn.example/m.png,12.50,Acme\n102,Tee,,9,\n';
    const result = parseCatalogCsv(csv, defaults);
    expect(result.type).toBe("ok");
    if (result.type !== "ok") return;
    expect(result.entries[0]).toEqual({
      row: expect.objectContaining({ Identity: "101", Name: 'Mug, "large"', Price: 1250, Currency: "USD", Available: true }),
      extra: { Brand: "Acme" },
    });
    expect(result.entries[1]!.row.ImageURL).toBeNull();
  });

  it("reports bad rows by their line number, including after a multi-line field", () => {
    const csv = 'Identity,Name,ImageURL,Price\n1,"two\nlines",,1.00\nabc,Bad id,,1\n3,Bad price,,x\n1,Dupe,,1\n';
    const result = parseCatalogCsv(csv, defaults);
    expect(result).toEqual({ type: "invalid", errors: [
      { line: 4, column: "Identity", message: "must be a variant id (digits only)" },
      { line: 5, column: "Price", message: "must be a decimal amount like 29.99" },
      { line: 6, column: "Identity", message: "duplicates line 2" },
    ] });
  });

  it("refuses a file without the required columns", () => {
    expect(parseCatalogCsv("Identity,Name\n1,a\n", defaults)).toEqual({
      type: "invalid", errors: [{ line: 1, column: "ImageURL", message: "missing required column ImageURL" }],
    });
    expect(parseCatalogCsv("", defaults).type).toBe("invalid");
    expect(parseCatalogCsv('Identity,Name,ImageURL\n1,"open,\n', defaults).type).toBe("invalid");
  });

  it("exports what it imports", () => {
    const csv = 'Identity,Name,ImageURL,Price,Currency,Brand\n5,"Crème <b>brûlée</b>, 🍵",https://x.example/a.png,1500,JPY," lead"\n';
    const first = parseCatalogCsv(csv, defaults);
    if (first.type !== "ok") throw new Error("expected ok");
    const exported = catalogCsvHeader(["Brand"]) + first.entries.map((e: CatalogEntry) => catalogCsvLine(e, ["Brand"])).join("");
    const second = parseCatalogCsv(exported, defaults);
    expect(second).toEqual(first);
  });

  it("keeps Price and CompareAtPrice as the shop shows them, in the currency's exponent, both ways", () => {
    const csv = "Identity,Name,ImageURL,Price,CompareAtPrice,Currency\n1,Tee,,29.00,35,USD\n2,Yukata,,2900,,JPY\n3,Dallah,,29.000,,KWD\n";
    const parsed = parseCatalogCsv(csv, defaults);
    if (parsed.type !== "ok") throw new Error("expected ok");
    expect(parsed.entries.map((e) => [e.row.Price, e.row.CompareAtPrice])).toEqual([[2900, 3500], [2900, null], [29000, null]]);
    const lines = parsed.entries.map((e) => catalogCsvLine(e, []).split(",").slice(3, 6).join(","));
    expect(lines).toEqual(["29.00,35.00,USD", "2900,,JPY", "29.000,,KWD"]);
  });

  it("refuses negative prices and prices more precise than the currency, naming line and column", () => {
    const csv = "Identity,Name,ImageURL,Price,CompareAtPrice,Currency\n" +
      "1,Tee,,-5,,EUR\n2,Mug,,29.999,,EUR\n3,Yukata,,5.5,,JPY\n4,Cap,,10,-0.01,EUR\n5,Hat,,29.990,30.0,EUR\n6,Obi,,1200.00,,JPY\n";
    expect(parseCatalogCsv(csv, defaults)).toEqual({ type: "invalid", errors: [
      { line: 2, column: "Price", message: "must not be negative" },
      { line: 3, column: "Price", message: "has more than 2 decimal places, which EUR does not have" },
      { line: 4, column: "Price", message: "must be a whole amount: JPY has no minor unit" },
      { line: 5, column: "CompareAtPrice", message: "must not be negative" },
    ] });
  });

  it("accepts zero and trailing zeros past the currency's exponent, which are exact", () => {
    const parsed = parseCatalogCsv("Identity,Name,ImageURL,Price,CompareAtPrice,Currency\n1,Gift,,0,,EUR\n2,Hat,,29.990,30.0,EUR\n3,Obi,,1200.00,,JPY\n", defaults);
    if (parsed.type !== "ok") throw new Error(JSON.stringify(parsed));
    expect(parsed.entries.map((e) => [e.row.Price, e.row.CompareAtPrice])).toEqual([[0, null], [2999, 3000], [1200, null]]);
  });
});
