import { starterDocument } from "@cartback/email-blocks";
import { describe, expect, it } from "vitest";
import { addBlock, moveBlock, removeBlock, replaceBlock } from "./document-ops.ts";
import { historyReducer, initialHistory } from "./history.ts";

const start = starterDocument("minimal");

describe("editor history and document edits", () => {
  it("undoes and redoes block edits; typing into one field is one undo step", () => {
    let h = initialHistory(start);
    const added = addBlock(h.present, "heading", "header");
    h = historyReducer(h, { type: "edit", document: added.document });
    expect(h.present.blocks[1]).toMatchObject({ id: added.id, type: "heading" });
    const heading = h.present.blocks[1]!;
    for (const text of ["W", "We", "We miss you"]) h = historyReducer(h, { type: "edit", document: replaceBlock(h.present, { ...heading, text } as typeof heading), key: `${added.id}.text` });
    expect(h.past).toHaveLength(2);
    h = historyReducer(h, { type: "undo" });
    expect(h.present.blocks[1]).toMatchObject({ text: "You left something behind" });
    h = historyReducer(h, { type: "undo" });
    expect(h.present).toBe(start);
    h = historyReducer(historyReducer(h, { type: "redo" }), { type: "redo" });
    expect(h.present.blocks[1]).toMatchObject({ text: "We miss you" });
    expect(historyReducer(h, { type: "redo" })).toBe(h);
  });

  it("moves, removes and gives new blocks ids unique in the document (columns' inner blocks too)", () => {
    const moved = moveBlock(start, 0, 2);
    expect(moved.blocks.map((b) => b.id)).toEqual(["intro", "items", "header", "cta", "footer"]);
    expect(moveBlock(start, 0, 9)).toBe(start);
    expect(removeBlock(start, "items").blocks.map((b) => b.id)).toEqual(["header", "intro", "cta", "footer"]);
    const one = addBlock(start, "columns", null);
    const two = addBlock(one.document, "columns", null);
    const ids = two.document.blocks.flatMap((b) => [b.id, ...(b.type === "columns" ? b.columns.flat().map((c) => c.id) : [])]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
