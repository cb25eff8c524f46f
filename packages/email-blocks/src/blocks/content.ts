import type { BlockOf, ColumnContent, DocumentStyle } from "../document.ts";
import { attr, compileAttrText, compileText } from "../text.ts";
import { button, row } from "./layout.ts";

export function header(b: BlockOf<"header">): string {
  const logo = b.logoUrl
    ? `<img src="${attr(b.logoUrl)}" width="${b.logoWidth}" alt="${b.title.trim() ? compileAttrText(b.title) : "Logo"}" style="display: inline-block; width: ${b.logoWidth}px; max-width: 100%; height: auto; border: 0;">`
    : "";
  const title = b.title.trim() ? `<div class="header-title" style="font-size: 20px; font-weight: 700; line-height: 28px;">${compileText(b.title)}</div>` : "";
  return row(`${logo}${logo && title ? "<br>" : ""}${title}`, `padding: 24px 24px 8px 24px; text-align: ${b.align};`, "block header");
}

function headingHtml(b: BlockOf<"heading">): string {
  const size = b.level === 1 ? 26 : 20;
  return `<h${b.level} style="margin: 0; font-size: ${size}px; line-height: ${size + 8}px; font-weight: 700; text-align: ${b.align};">${compileText(b.text)}</h${b.level}>`;
}

function textHtml(b: BlockOf<"text">): string {
  return `<p style="margin: 0; font-size: 16px; line-height: 24px; text-align: ${b.align};">${compileText(b.text)}</p>`;
}

function imageHtml(b: BlockOf<"image">): string {
  if (!b.src) return "";
  const img = `<img src="${attr(b.src)}" width="${b.width}" alt="${attr(b.alt)}" style="display: block; width: 100%; max-width: ${b.width}px; height: auto; border: 0; margin: 0 auto;">`;
  return b.href ? `<a href="${attr(b.href)}">${img}</a>` : img;
}

function buttonHtml(b: BlockOf<"button">): string {
  return button(attr(b.href), compileText(b.label), b.color, b.textColor, b.align);
}

/** Blocks that also fit in a column: their markup without the row around it. */
export function contentHtml(b: ColumnContent): string {
  switch (b.type) {
    case "heading":
      return headingHtml(b);
    case "text":
      return textHtml(b);
    case "image":
      return imageHtml(b);
    case "button":
      return buttonHtml(b);
    default: {
      const unreachable: never = b;
      throw new Error(`unexpected block ${JSON.stringify(unreachable)}`);
    }
  }
}

export function content(b: ColumnContent): string {
  if (b.type === "image" && !b.src) return "";
  return row(contentHtml(b), b.type === "image" ? "padding: 8px 24px; text-align: center;" : "padding: 8px 24px;");
}

export function divider(b: BlockOf<"divider">): string {
  return row(`<div style="height: 0; line-height: 0; font-size: 0; border-top: ${b.thickness}px solid ${b.color};">&nbsp;</div>`, "padding: 12px 24px;");
}

export function spacer(b: BlockOf<"spacer">): string {
  return row("&nbsp;", `height: ${b.height}px; line-height: ${b.height}px; font-size: 1px; padding: 0;`, "block spacer");
}

/**
 * Two columns side by side on wide screens, stacked under 480 px: `.column` cells become blocks
 * through the media query; clients without media queries keep them side by side at 50 %.
 */
export function columns(b: BlockOf<"columns">, _style: DocumentStyle): string {
  const cell = (items: ColumnContent[]) =>
    `<td class="column" width="50%" valign="top" style="width: 50%; padding: 0 8px; vertical-align: top;">${items.filter((item) => item.type !== "image" || item.src).map((item) => `<div style="padding: 8px 0;">${contentHtml(item)}</div>`).join("")}</td>`;
  const table = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>${cell(b.columns[0])}${cell(b.columns[1])}</tr></table>`;
  return row(table, "padding: 8px 16px;");
}
