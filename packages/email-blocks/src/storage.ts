import { BlockDocument } from "./document.ts";
import { describeIssue } from "./issues.ts";

/** A stored document that no longer parses: named by its first bad field. */
export type InvalidDocument = { type: "invalid"; field: string; message: string };
export type LoadResult = { type: "ok"; document: BlockDocument } | InvalidDocument;

/** Parses a document from storage or a form; the field is a path like `blocks.2.href`. */
export function loadDocument(value: unknown): LoadResult {
  const parsed = BlockDocument.safeParse(value);
  if (parsed.success) return { type: "ok", document: parsed.data };
  return { type: "invalid", ...describeIssue(value, parsed.error.issues[0]) };
}

/** Parses the JSON text the editor posts. */
export function loadDocumentJson(text: string): LoadResult {
  try {
    return loadDocument(JSON.parse(text));
  } catch {
    return { type: "invalid", field: "document", message: "the design is not valid JSON" };
  }
}

/** What is stored: the parsed document (the schema strips anything it does not know). */
export function saveDocument(document: BlockDocument): BlockDocument {
  return BlockDocument.parse(document);
}
