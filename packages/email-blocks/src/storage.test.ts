import fc from "fast-check";
import { describe, expect, it } from "vitest";
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
});
