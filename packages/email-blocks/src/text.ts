/**
 * Merchant text → Liquid/HTML. Typed text is shown as typed: HTML is escaped and Liquid's braces
 * become entities, so only the merge tags below ever reach the engine (a merchant who wants Liquid
 * uses a Liquid block). `**bold**` and line breaks are the only formatting.
 */

export const MERGE_TAGS = {
  first_name: '{{ customer.first_name | default: "there" }}',
  last_name: "{{ customer.last_name }}",
  shop_name: "{{ shop.name }}",
  cart_total: "{{ cart.total | money }}",
  item_count: "{{ cart.item_count }}",
} as const;
export type MergeTag = keyof typeof MERGE_TAGS;

const TAG = /\{(first_name|last_name|shop_name|cart_total|item_count)\}/g;

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "{": "&#123;", "}": "&#125;" };

/** HTML-escapes text and hides Liquid delimiters from the engine. */
export function escapeText(text: string): string {
  return text.replace(/[&<>"'{}]/g, (c) => ENTITIES[c] ?? c);
}

function formatLiteral(text: string): string {
  return escapeText(text)
    .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    .replace(/\r?\n/g, "<br>");
}

function withMergeTags(text: string, literal: (part: string) => string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(TAG)) {
    out += literal(text.slice(last, match.index));
    out += MERGE_TAGS[match[1] as MergeTag];
    last = match.index + match[0].length;
  }
  return out + literal(text.slice(last));
}

/** Text with merge tags, as Liquid for an HTML body. */
export function compileText(text: string): string {
  return withMergeTags(text, formatLiteral);
}

/** Text with merge tags for an attribute (alt text): no formatting, the engine escapes the tags' values. */
export function compileAttrText(text: string): string {
  return withMergeTags(text.replace(/\*\*/g, "").replace(/\s+/g, " "), escapeText);
}

/** An attribute value that may not hold Liquid (URLs and alt texts the merchant typed). */
export function attr(value: string): string {
  return escapeText(value);
}
