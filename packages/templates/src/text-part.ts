import { type HtmlToTextOptions, convert } from "html-to-text";

const OPTIONS: HtmlToTextOptions = {
  // Wrapping could split a Liquid tag across lines when the text template is derived.
  wordwrap: false,
  selectors: [
    { selector: "img", format: "skip" },
    { selector: ".preheader", format: "skip" },
    { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
    // Uppercasing headings would also uppercase `{{ shop.name }}` in a derived template.
    ...["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: "table", format: "block" },
    { selector: "tr", format: "block" },
    { selector: "td", format: "block" },
  ],
};

export function htmlToText(html: string): string {
  return convert(html, OPTIONS);
}

/** Lines that held only Liquid tags render empty; fold the gaps they leave. */
export function tidyText(text: string): string {
  return text
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
