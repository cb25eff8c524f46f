import { type Context, Liquid, Tag, type TagToken, type Template, type TopLevelToken, toValue } from "liquidjs";
import { speedUp } from "./fast-path.ts";
import { cartbackFilters } from "./filters/index.ts";

/**
 * Merchant-written templates run on our server, so every engine is sandboxed: only own
 * properties are readable, unknown filters fail at save time, and parse size, render time
 * and allocations are capped. HTML bodies escape output by default (`| raw` opts out);
 * subjects, preheaders and plain text are not HTML and must not be escaped.
 */
export const ENGINE_LIMITS = {
  /** Characters per template; the default template is ~8 kB. */
  parseLimit: 200_000,
  /** Milliseconds per render; a normal email renders in well under 1 ms. */
  renderLimit: 500,
  /** liquidjs allocation units (string and array lengths created by tags and filters). */
  memoryLimit: 5_000_000,
  /** Characters of rendered HTML; Gmail clips messages above ~102 kB anyway. */
  outputLimit: 500_000,
} as const;

/**
 * Milliseconds one email may take to render at send time, all parts together. Rendering is
 * synchronous on the process that sends (the web process on the embedded default): this is
 * the longest it may hold the event loop. Saving runs the same budget (trial.ts), so a
 * template that passes its save check renders in a small fraction of it.
 */
export const SEND_RENDER_BUDGET_MS = 50;

export type EngineKind = "html" | "text";

// Partials would need a file system or a snippet store we do not have; refusing them at
// parse time also rules out recursive includes and reads outside the template.
const UNSUPPORTED_TAGS = ["include", "render", "layout", "block"] as const;

class UnsupportedTag extends Tag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid);
    throw new Error(`tag "${token.name}" is not supported in email templates`);
  }
  *render(): Generator<unknown, void, unknown> {}
}

const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIAL_ALL = /[&<>"']/g;
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" };

function stringify(value: unknown): string {
  const v = toValue(value);
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(stringify).join("");
  return String(v);
}

/**
 * liquidjs's own `escape`, minus the regex replace for the common output with nothing to
 * escape (names, prices, quantities): it runs on every output of every email.
 */
function escapeOutput(this: { context: Context }, value: unknown): string {
  const text = stringify(value);
  this.context.memoryLimit.use(text.length);
  return HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIAL_ALL, (c) => ENTITIES[c] ?? c) : text;
}

function createEngine(kind: EngineKind): Liquid {
  const engine = new Liquid({
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: false,
    outputEscape: kind === "html" ? escapeOutput : undefined,
    templates: {},
    parseLimit: ENGINE_LIMITS.parseLimit,
    renderLimit: ENGINE_LIMITS.renderLimit,
    memoryLimit: ENGINE_LIMITS.memoryLimit,
  });
  for (const [name, filter] of Object.entries(cartbackFilters)) engine.registerFilter(name, filter);
  for (const name of UNSUPPORTED_TAGS) engine.registerTag(name, UnsupportedTag);
  return engine;
}

const engines: Record<EngineKind, Liquid> = { html: createEngine("html"), text: createEngine("text") };

export function engineFor(kind: EngineKind): Liquid {
  return engines[kind];
}

/** Parses on the production engine and prepares the result for fast rendering (see fast-path.ts). */
export function parseTemplate(kind: EngineKind, source: string): Template[] {
  return speedUp(engines[kind].parse(source));
}
