import { type Block, type BlockDocument, type BlockType, newBlock } from "@cartback/email-blocks";

/** Pure edits of a block document; the editor's reducer applies them and keeps history. */

/** Ids only need to be unique within a document; crypto.randomUUID is missing on plain-http admin origins. */
export function freshId(type: BlockType, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${type}-${n}`;
    if (!taken.has(id)) return id;
  }
}

export function blockIds(doc: BlockDocument): Set<string> {
  const ids = new Set<string>();
  for (const block of doc.blocks) {
    ids.add(block.id);
    if (block.type === "columns") for (const column of block.columns) for (const inner of column) ids.add(inner.id);
  }
  return ids;
}

/** Inserts a new block after `afterId` (at the end when absent); returns the document and the new id. */
export function addBlock(doc: BlockDocument, type: BlockType, afterId: string | null): { document: BlockDocument; id: string } {
  const ids = blockIds(doc);
  const id = freshId(type, ids);
  let block: Block = newBlock(type, id);
  if (block.type === "columns") {
    // The default columns hold inner blocks with fixed ids; give them document-unique ones.
    ids.add(id);
    const renamed = block.columns.map((column) =>
      column.map((inner) => {
        const innerId = freshId(inner.type, ids);
        ids.add(innerId);
        return { ...inner, id: innerId };
      }),
    );
    block = { ...block, columns: [renamed[0]!, renamed[1]!] };
  }
  const at = afterId === null ? -1 : doc.blocks.findIndex((b) => b.id === afterId);
  const blocks = [...doc.blocks];
  blocks.splice(at === -1 ? blocks.length : at + 1, 0, block);
  return { document: { ...doc, blocks }, id };
}

export function moveBlock(doc: BlockDocument, from: number, to: number): BlockDocument {
  if (from === to || from < 0 || to < 0 || from >= doc.blocks.length || to >= doc.blocks.length) return doc;
  const blocks = [...doc.blocks];
  const [moved] = blocks.splice(from, 1);
  blocks.splice(to, 0, moved!);
  return { ...doc, blocks };
}

export function removeBlock(doc: BlockDocument, id: string): BlockDocument {
  return { ...doc, blocks: doc.blocks.filter((b) => b.id !== id) };
}

export function replaceBlock(doc: BlockDocument, block: Block): BlockDocument {
  return { ...doc, blocks: doc.blocks.map((b) => (b.id === block.id ? block : b)) };
}
