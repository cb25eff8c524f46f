import { BLOCK_LABELS } from "./defaults.ts";

/**
 * A schema issue in a block document as the designer shows it: the field's name as the editor
 * labels it, a plain message ("Logo width: at least 40 pixels"), and which block it is in.
 * The server (loadDocument) and the editor's own check (before any request) share it.
 */

const FIELD_LABELS: Record<string, string> = {
  subject: "Subject",
  preheader: "Preheader",
  background: "Background colour",
  contentBackground: "Content background colour",
  textColor: "Text colour",
  linkColor: "Link colour",
  blocks: "Blocks",
  id: "Block id",
  type: "Block type",
  logoUrl: "Logo URL",
  logoWidth: "Logo width",
  title: "Title",
  align: "Alignment",
  text: "Text",
  level: "Size",
  src: "Image URL",
  alt: "Alt text",
  href: "Link",
  width: "Width",
  label: "Button text",
  color: "Colour",
  thickness: "Thickness",
  height: "Height",
  columns: "Columns",
  maxRows: "Rows before “and N more”",
  unavailable: "Sold-out variants",
  soldOutLabel: "Sold-out label",
  code: "Discount code",
  address: "Shop address",
  unsubscribeLabel: "Unsubscribe link text",
  source: "Liquid",
};

export type DocumentIssue = { path: ReadonlyArray<PropertyKey>; message: string };

// Zod's own wording, for any check whose schema gives no message of ours.
function plain(message: string): string {
  const number = /^Too (small|big): expected number to be [<>]=?(-?[\d.]+)$/.exec(message);
  if (number) return `${number[1] === "small" ? "at least" : "at most"} ${number[2]}`;
  const length = /^Too (small|big): expected (?:string|array) to have [<>]=?(\d+) (characters|items)$/.exec(message);
  if (length) return length[1] === "small" && length[2] === "1" ? "required" : `${length[1] === "small" ? "at least" : "at most"} ${length[2]} ${length[3] === "items" ? "entries" : "characters"}`;
  if (message.startsWith("Invalid input") || message.startsWith("Invalid option")) return "not valid";
  return message;
}

function blockAt(value: unknown, index: PropertyKey | undefined): string | null {
  if (typeof index !== "number" || typeof value !== "object" || value === null) return null;
  const blocks = (value as { blocks?: unknown }).blocks;
  const block = Array.isArray(blocks) ? (blocks[index] as { type?: unknown } | undefined) : undefined;
  const type = typeof block?.type === "string" && block.type in BLOCK_LABELS ? BLOCK_LABELS[block.type as keyof typeof BLOCK_LABELS] : "Block";
  return `${type}, block ${index + 1}`;
}

/** `value` is the document as given (it may not parse); the field is a path like `document.blocks.0.logoWidth`. */
export function describeIssue(value: unknown, issue: DocumentIssue | undefined): { field: string; message: string } {
  const path = issue?.path ?? [];
  const field = ["document", ...path.map(String)].join(".");
  const key = [...path].reverse().find((part): part is string => typeof part === "string" && part in FIELD_LABELS);
  const what = plain(issue?.message ?? "not valid");
  const where = path[0] === "blocks" ? blockAt(value, path[1]) : null;
  return { field, message: `${key ? FIELD_LABELS[key] : "Design"}: ${what}${where ? ` (${where})` : ""}` };
}
