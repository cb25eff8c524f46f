import { type CompileResult, compileTemplate, type TemplateSource } from "./compile.ts";
import { DEFAULT_TEMPLATE } from "./default-template.ts";
import type { RenderInputDraft } from "./input.ts";
import { type RenderResult, renderEmail } from "./render.ts";
import { sampleRenderInput } from "./sample.ts";

export type PreviewResult = RenderResult | Exclude<CompileResult, { type: "ok" }>;

/**
 * Compile and render in one call for previews and test sends (CLI, admin): a template being
 * edited is compiled on every preview, while the send path compiles once and reuses it.
 * Without an input, the sample cart is used; callers pass `mode: "test"` for test sends.
 */
export function previewEmail(template: TemplateSource = DEFAULT_TEMPLATE, input: RenderInputDraft = sampleRenderInput()): PreviewResult {
  const compiled = compileTemplate(template);
  if (compiled.type !== "ok") return compiled;
  return renderEmail(compiled.template, input);
}
