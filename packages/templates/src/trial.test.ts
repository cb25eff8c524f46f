import { describe, expect, it } from "vitest";
import { compileTemplate } from "./compile.ts";
import { DEFAULT_TEMPLATE } from "./default-template.ts";
import { ENGINE_LIMITS, SEND_RENDER_BUDGET_MS } from "./engine.ts";
import { renderEmail } from "./render.ts";
import { sampleRenderInput } from "./sample.ts";
import { trialRender } from "./trial.ts";

// Issue 13, finding 8: a template within liquidjs's 500 ms render limit was saved, then held
// the sending process ~0.5 s per email. Here: a million comparisons for a 50-item cart, seconds of work and no output.
const SLOW = `{% for i in (1..20000) %}{% for item in Catalog["shopify-catalog"] %}{% if item.Name == i %}x{% endif %}{% endfor %}{% endfor %}`;

const compiled = (html: string) => {
  const result = compileTemplate({ subject: "Hi", preheader: "", html });
  if (result.type !== "ok") throw new Error(JSON.stringify(result));
  return result.template;
};

describe("render budget", () => {
  it("refuses at save a template that exceeds the preview limits on a 50-item cart, and accepts the default template", () => {
    expect(trialRender(compiled(SLOW))).toMatchObject({ type: "limit_exceeded", field: "html", limit: "render" });
    expect(trialRender(compiled(DEFAULT_TEMPLATE.html))).toBeNull();
  });

  it("stops a send-time render at its budget instead of the engine's 500 ms", () => {
    const template = compiled(SLOW);
    const started = performance.now();
    const result = renderEmail(template, sampleRenderInput(), { budgetMs: SEND_RENDER_BUDGET_MS });
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ type: "limit_exceeded", limit: "render" });
    // Stopped at the send budget (plus the node running at the deadline), not the engine's limit.
    expect(elapsed).toBeLessThan(ENGINE_LIMITS.renderLimit);
  });
});
