import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newBlock } from "./defaults.ts";
import { STARTERS, starterDocument } from "./starters.ts";
import { loadDocument, loadDocumentJson, saveDocument } from "./storage.ts";
import { arbitraryDocument } from "./testing/arbitrary.ts";

/** What the database does to a jsonb value: JSON text and back. */
const throughJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

function load(value: unknown) {
  const result = loadDocument(value);
  if (result.type !== "ok") throw new Error(`${result.field}: ${result.message}`);
  return result.document;
}

describe("block documents in storage", () => {
  it("round-trip load → save → load unchanged for random documents", () => {
    fc.assert(
      fc.property(arbitraryDocument, (doc) => {
        const loaded = load(throughJson(doc));
        const saved = throughJson(saveDocument(loaded));
        const reloaded = load(saved);
        expect(reloaded).toEqual(loaded);
        expect(loaded).toEqual(doc);
        expect(JSON.stringify(saved)).toBe(JSON.stringify(throughJson(doc)));
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips every starter design", () => {
    for (const name of STARTERS) expect(load(throughJson(saveDocument(starterDocument(name))))).toEqual(starterDocument(name));
  });

  it("names the field of a bad block and refuses javascript: links", () => {
    const doc = starterDocument("minimal");
    const bad = { ...doc, blocks: [...doc.blocks, { id: "x", type: "button", label: "Go", href: "javascript:alert(1)", color: "#000000", textColor: "#ffffff", align: "left" }] };
    expect(loadDocument(bad)).toMatchObject({ type: "invalid", field: `document.blocks.${doc.blocks.length}.href` });
    expect(loadDocument({ ...doc, blocks: [{ id: "y", type: "marquee" }] })).toMatchObject({ type: "invalid", field: "document.blocks.0.type" });
    expect(loadDocumentJson("{")).toMatchObject({ type: "invalid", field: "document" });
  });

  it("says what is wrong in plain words, under the field's name as the editor labels it", () => {
    const doc = starterDocument("minimal");
    const header = doc.blocks[0]!;
    const withHeader = (patch: object) => ({ ...doc, blocks: [{ ...header, ...patch }, ...doc.blocks.slice(1)] });
    expect(loadDocument(withHeader({ logoWidth: -50 }))).toEqual({ type: "invalid", field: "document.blocks.0.logoWidth", message: "Logo width: at least 40 pixels (Header / logo, block 1)" });
    expect(loadDocument(withHeader({ logoWidth: 601 }))).toMatchObject({ message: "Logo width: at most 600 pixels (Header / logo, block 1)" });
    expect(loadDocument(withHeader({ logoWidth: Number.NaN }))).toMatchObject({ message: "Logo width: a number (Header / logo, block 1)" });
    expect(loadDocument(withHeader({ logoUrl: "ftp://shop.example/logo.png" }))).toMatchObject({ message: "Logo URL: a web address starting with https:// or http:// (Header / logo, block 1)" });
    expect(loadDocument({ ...doc, subject: "" })).toEqual({ type: "invalid", field: "document.subject", message: "Subject: required" });
    expect(loadDocument({ ...doc, blocks: [{ ...newBlock("spacer", "s"), height: 0 }] })).toMatchObject({ message: "Height: at least 4 pixels (Spacer, block 1)" });
    const picture = { ...newBlock("image", "pic"), width: 10 };
    expect(loadDocument({ ...doc, blocks: [{ ...newBlock("columns", "cols"), columns: [[picture], []] }] })).toMatchObject({ field: "document.blocks.0.columns.0.0.width", message: "Width: at least 40 pixels (Two columns, block 1)" });
    // No zod wording reaches the merchant ("Too small: expected number to be >=40").
    for (const bad of [withHeader({ logoWidth: -50 }), { ...doc, subject: "" }, withHeader({ align: "middle" }), { ...doc, blocks: [{ id: "y", type: "marquee" }] }]) {
      const result = loadDocument(bad);
      expect(result.type === "invalid" ? result.message : "").not.toMatch(/Too small|Too big|expected|Invalid/);
    }
  });
});
