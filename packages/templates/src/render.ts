import { SHOPIFY_CATALOG } from "@cartback/core/catalog/row";
import type { Template } from "liquidjs";
import type { CompiledTemplate } from "./compile.ts";
import { buildScope, type TemplateScope } from "./context.ts";
import { type EngineKind, ENGINE_LIMITS, engineFor } from "./engine.ts";
import { type LimitExceeded, type TemplateField, type TemplateRenderError, templateFailure } from "./errors.ts";
import { RenderInput, type RenderInputDraft } from "./input.ts";
import { htmlToText, tidyText } from "./text-part.ts";

export type RenderedEmail = {
  type: "ok";
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  /** Products shown; the sender refuses to send a recovery email for 0 (never empty). */
  itemCount: number;
};

export type InvalidInput = { type: "invalid_input"; field: string; message: string };

export type RenderResult = RenderedEmail | TemplateRenderError | LimitExceeded;

class Failed {
  constructor(readonly result: TemplateRenderError | LimitExceeded) {}
}

function run(kind: EngineKind, field: TemplateField, templates: Template[], scope: TemplateScope, deadline: number): string {
  let out: unknown;
  try {
    // liquidjs checks renderLimit between nodes: what is left of this email's budget.
    const renderLimit = Math.max(1, deadline - performance.now());
    out = engineFor(kind).renderSync(templates, scope, { renderLimit });
  } catch (error) {
    throw new Failed(templateFailure("render_error", field, error) as TemplateRenderError | LimitExceeded);
  }
  const text = String(out);
  if (text.length > ENGINE_LIMITS.outputLimit) {
    throw new Failed({ type: "limit_exceeded", field, limit: "output", message: `${field}: output limit exceeded` });
  }
  return text;
}

/** Header values must not carry line breaks, whatever a subject template produced. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

function headersFor(input: RenderInput): Record<string, string> {
  const headers: Record<string, string> = {
    "List-Unsubscribe": `<${input.unsubscribe_url}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
  if (input.mode === "test") headers["X-Cartback-Test"] = "1";
  return headers;
}

/**
 * Validates render input that came from outside the server (a preview request, a CLI file).
 * The send path builds its input from validated rows and normalised cart lines, so it calls
 * `renderEmail` directly and does not pay for a second validation on every email.
 */
export function parseRenderInput(value: unknown): { type: "ok"; input: RenderInput } | InvalidInput {
  const parsed = RenderInput.safeParse(value);
  if (parsed.success) return { type: "ok", input: parsed.data };
  const issue = parsed.error.issues[0];
  return { type: "invalid_input", field: issue?.path.join(".") || "(root)", message: issue?.message ?? "invalid" };
}

function withDefaults(draft: RenderInputDraft): RenderInput {
  return {
    ...draft,
    mapping: {
      property: draft.mapping?.property ?? "shopify_cart_ids",
      catalog: draft.mapping?.catalog ?? SHOPIFY_CATALOG,
      ...(draft.mapping?.alias === undefined ? {} : { alias: draft.mapping.alias }),
    },
    discount_code: draft.discount_code ?? null,
    discount_description: draft.discount_description ?? null,
    mode: draft.mode ?? "live",
  };
}

/**
 * One email for one shopper. Expected failures (a template that errors or hits a limit) come
 * back as values so the sender can record a failed decision and send nothing.
 */
export interface RenderOptions {
  /** Milliseconds for the whole email (subject, preheader, HTML, text); default the engine's renderLimit. */
  budgetMs?: number;
}

export function renderEmail(compiled: CompiledTemplate, draft: RenderInputDraft, options: RenderOptions = {}): RenderResult {
  const deadline = performance.now() + (options.budgetMs ?? ENGINE_LIMITS.renderLimit);
  const input = withDefaults(draft);
  const scope = buildScope(input);
  try {
    const subject = oneLine(run("text", "subject", compiled.subject, scope, deadline));
    scope.subject = subject;
    scope.preheader = oneLine(run("text", "preheader", compiled.preheader, scope, deadline));
    const html = run("html", "html", compiled.html, scope, deadline);
    const text =
      compiled.text === null ? htmlToText(html) : tidyText(run("text", "html", compiled.text, scope, deadline));
    return {
      type: "ok",
      subject: input.mode === "test" ? `[Test] ${subject}` : subject,
      html,
      text,
      headers: headersFor(input),
      itemCount: scope.cart.items.length,
    };
  } catch (error) {
    if (error instanceof Failed) return error.result;
    throw error;
  }
}
