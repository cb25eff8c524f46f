import { describe, expect, it } from "vitest";
import { findUnstorableText, hasUnstorableText, scrubUnstorableText } from "./fields.ts";

describe("text PostgreSQL can store", () => {
  it("finds NUL and unpaired surrogates but keeps paired ones (emoji)", () => {
    expect(hasUnstorableText("a\u0000b")).toBe(true);
    expect(hasUnstorableText("x\ud800")).toBe(true);
    expect(hasUnstorableText("\udc00x")).toBe(true);
    expect(hasUnstorableText("T-shirt 🌞 ÉTÉ")).toBe(false);
  });

  it("names the path of the first bad string or key, and refuses nesting deeper than 32", () => {
    expect(findUnstorableText({ a: ["ok", { b: "\u0000" }] })?.path).toEqual(["a", 1, "b"]);
    expect(findUnstorableText({ "k\u0000": 1 })?.path).toEqual(["k\u0000"]);
    let deep: unknown = "x";
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(findUnstorableText(deep)?.reason).toMatch(/nested/);
    expect(findUnstorableText({ title: "fine 🌞", lines: [{ sku: "A-1" }] })).toBeNull();
  });

  it("cleans a payload: NUL removed, unpaired surrogates replaced, keys too", () => {
    expect(scrubUnstorableText({ "t\u0000": ["a\u0000b", "c\ud800", 1, null, "🌞"] })).toEqual({ t: ["ab", "c\uFFFD", 1, null, "🌞"] });
  });
});
