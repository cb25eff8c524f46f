import { describe, expect, it } from "vitest";
import { compileTemplate, type TemplateSource } from "./compile.ts";
import { ENGINE_LIMITS } from "./engine.ts";
import { renderEmail } from "./render.ts";
import { sampleRenderInput } from "./sample.ts";

function render(source: Partial<TemplateSource>) {
  const compiled = compileTemplate({ subject: "s", preheader: "", html: "", ...source });
  if (compiled.type !== "ok") return compiled;
  return renderEmail(compiled.template, sampleRenderInput());
}

// Each case is a template a careless or hostile merchant could save; the server must survive it.
describe("limits stop abusive templates with a typed error", () => {
  it("stops nested loops that would run for ever (render time)", () => {
    const html = "{% for a in (1..1000000) %}{% for b in (1..1000000) %}{% endfor %}{% endfor %}";
    expect(render({ html })).toEqual({ type: "limit_exceeded", field: "html", limit: "render", message: "html: render limit exceeded" });
  });

  it("stops a string doubled until it exhausts memory", () => {
    const html = "{% assign s = 'xx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s.size }}";
    expect(render({ html })).toMatchObject({ type: "limit_exceeded", field: "html", limit: "memory" });
  });

  it("stops a giant range joined into a string", () => {
    expect(render({ subject: "{{ (1..100000000) | join: ',' }}" })).toMatchObject({ type: "limit_exceeded", field: "subject", limit: "memory" });
  });

  it("refuses an email body larger than the output limit", () => {
    const html = `{% for a in (1..20) %}${"y".repeat(ENGINE_LIMITS.outputLimit / 10)}{% endfor %}`;
    expect(render({ html })).toMatchObject({ type: "limit_exceeded", field: "html", limit: "output" });
  });

  it("refuses to parse an oversized template", () => {
    const html = "x".repeat(ENGINE_LIMITS.parseLimit + 1);
    expect(render({ html })).toMatchObject({ type: "limit_exceeded", field: "html", limit: "parse" });
  });

  it("refuses block nesting deep enough to overflow the parser", () => {
    const html = `${"{% if true %}".repeat(5000)}x${"{% endif %}".repeat(5000)}`;
    expect(render({ html })).toMatchObject({ type: "limit_exceeded", field: "html", limit: "nesting" });
  });

  it("refuses recursion through partials before it can start", () => {
    expect(render({ html: "{% render 'email' %}" })).toMatchObject({ type: "syntax_error", field: "html" });
    expect(render({ preheader: "{% include 'preheader' %}" })).toMatchObject({ type: "syntax_error", field: "preheader" });
  });

  it("still renders ordinary loops after a limit tripped (limits are per render)", () => {
    render({ html: "{% for a in (1..1000000) %}{% for b in (1..1000000) %}{% endfor %}{% endfor %}" });
    expect(render({ html: "{% for i in (1..3) %}{{ i }}{% endfor %}" })).toMatchObject({ type: "ok", html: "123" });
  });
});
