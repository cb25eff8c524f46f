import { Liquid, Tag, type TagToken, type TopLevelToken } from "liquidjs";
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

function createEngine(kind: EngineKind): Liquid {
  const engine = new Liquid({
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: false,
    outputEscape: kind === "html" ? "escape" : undefined,
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
