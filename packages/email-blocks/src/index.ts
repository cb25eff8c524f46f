// Public surface of @cartback/email-blocks, listed by hand.
export { type CatalogRef, catalogExpression } from "./blocks/cart.ts";
export { type CompiledDocument, compileBlock, compileDocument } from "./compile.ts";
export { allDefaultBlocks, BLOCK_LABELS, BLOCK_TYPES, DEFAULT_STYLE, newBlock } from "./defaults.ts";
export { Block, type BlockOf, type BlockType, BlockDocument, CartColumns, ColumnContent, DocumentStyle } from "./document.ts";
export { type DocumentIssue, describeIssue } from "./issues.ts";
export { STARTER_LABELS, STARTERS, type StarterName, starterDocument } from "./starters.ts";
export { type InvalidDocument, type LoadResult, loadDocument, loadDocumentJson, saveDocument } from "./storage.ts";
export { compileText, MERGE_TAGS, type MergeTag } from "./text.ts";
