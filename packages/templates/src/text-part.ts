import { compile, type HtmlToTextOptions } from "html-to-text";

const OPTIONS: HtmlToTextOptions = {
  // Wrapping could split a Liquid tag across lines when the text template is derived.
  wordwrap: false,
  selectors: [
    { selector: "img", format: "skip" },
    { selector: ".preheader", format: "skip" },
    // Visual-only parts (and the Liquid inside them) stay out of the text part entirely.
    { selector: ".text-skip", format: "skip" },
    { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
    { selector: "a.product-link", format: "anchor", options: { ignoreHref: true } },
    // Uppercasing headings would also uppercase `{{ shop.name }}` in a derived template.
    ...["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: "table", format: "block" },
    { selector: "tr", format: "block" },
    { selector: "td", format: "block" },
  ],
};

const convert = compile(OPTIONS);

export function htmlToText(html: string): string {
  return convert(html);
}

/** Lines that held only Liquid tags render empty; fold the gaps they leave. */
export function tidyText(text: string): string {
  return text
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
