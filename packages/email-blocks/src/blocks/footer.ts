import type { BlockOf } from "../document.ts";
import { compileText, escapeText } from "../text.ts";
import { row } from "./layout.ts";

/** The unsubscribe link is always there: the block has no switch to remove it. */
export function footer(b: BlockOf<"footer">): string {
  const text = b.text.trim() ? `${compileText(b.text)}<br>` : "";
  const address = b.address.trim() ? `${escapeText(b.address).replace(/\r?\n/g, ", ")}<br>` : "";
  const link = `<a href="{{ unsubscribe_url }}" style="color: #71717a; text-decoration: underline;">${escapeText(b.unsubscribeLabel)}</a>`;
  return row(text + address + link, "padding: 16px 24px 32px 24px; font-size: 12px; line-height: 18px; color: #71717a; text-align: center;", "block footer");
}

/** Pasted Liquid goes in verbatim: a CleverTap snippet renders exactly as it does in HTML mode. */
export function liquid(b: BlockOf<"liquid">): string {
  return row(b.source, "padding: 8px 24px;", "block liquid");
}
