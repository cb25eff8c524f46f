import juice from "juice";
import type { Template } from "liquidjs";
import { parseTemplate } from "./engine.ts";
import { type LimitExceeded, type TemplateField, type TemplateSyntaxError, templateFailure } from "./errors.ts";
import { htmlToText } from "./text-part.ts";

export type TemplateSource = { subject: string; preheader: string; html: string };

/** Parsed once when a step is saved or loaded, rendered for every shopper. */
export type CompiledTemplate = {
  readonly source: TemplateSource;
  /** The HTML body after CSS inlining: what is actually rendered, kept for previews and benches. */
  readonly inlinedHtml: string;
  /** Liquid source of the derived plain-text part, null when it did not parse. */
  readonly textSource: string | null;
  readonly subject: Template[];
  readonly preheader: Template[];
  readonly html: Template[];
  /**
   * The plain-text part as a Liquid template derived from the HTML at compile time, because
   * converting every rendered email costs ~1 ms, about ten times the whole render. Null when the
   * derived text does not parse (Liquid in odd places); the renderer then converts per send.
   */
  readonly text: Template[] | null;
};

export type CompileResult = { type: "ok"; template: CompiledTemplate } | TemplateSyntaxError | LimitExceeded;

// juice already protects `{{ }}`; `{% %}` must survive its HTML round trip untouched too.
juice.codeBlocks.LIQUID_TAG = { start: "{%", end: "%}" };

function parse(kind: "html" | "text", field: TemplateField, source: string) {
  try {
    return { type: "ok" as const, templates: parseTemplate(kind, source) };
  } catch (error) {
    return templateFailure("syntax_error", field, error) as TemplateSyntaxError | LimitExceeded;
  }
}

function inlineCss(html: string): string {
  return juice(html, {
    preserveMediaQueries: true,
    preserveFontFaces: true,
    removeStyleTags: true,
    applyHeightAttributes: false,
    applyWidthAttributes: false,
    insertPreservedExtraCss: true,
  });
}

export function compileTemplate(source: TemplateSource): CompileResult {
  const subject = parse("text", "subject", source.subject);
  if (subject.type !== "ok") return subject;
  const preheader = parse("text", "preheader", source.preheader);
  if (preheader.type !== "ok") return preheader;
  // Positions in errors must point into what the merchant wrote, so the raw source is checked
  // before inlining rewrites it.
  const checked = parse("html", "html", source.html);
  if (checked.type !== "ok") return checked;
  let inlined: string;
  try {
    inlined = inlineCss(source.html);
  } catch (error) {
    return { type: "syntax_error", field: "html", message: `CSS could not be inlined: ${(error as Error).message}` };
  }
  const html = parse("html", "html", inlined);
  if (html.type !== "ok") return html;
  const textSource = htmlToText(source.html);
  const text = parse("text", "html", textSource);
  return {
    type: "ok",
    template: {
      source,
      inlinedHtml: inlined,
      textSource: text.type === "ok" ? textSource : null,
      subject: subject.templates,
      preheader: preheader.templates,
      html: html.templates,
      text: text.type === "ok" ? text.templates : null,
    },
  };
}
