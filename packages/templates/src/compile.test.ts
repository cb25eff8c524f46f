import { describe, expect, it } from "vitest";
import { compileTemplate } from "./compile.ts";
import { DEFAULT_TEMPLATE } from "./default-template.ts";

const ok = { subject: "Hi", preheader: "", html: "<p>{{ shop.name }}</p>" };

describe("compileTemplate (validation on save)", () => {
  it("accepts the default template and derives a text part from it", () => {
    const result = compileTemplate(DEFAULT_TEMPLATE);
    expect(result.type).toBe("ok");
    expect(result.type === "ok" && result.template.text).not.toBeNull();
  });

  it("reports an unclosed tag in the body with line and column of what the merchant wrote", () => {
    const html = "<style>p { color: red; }</style>\n<p>Hello</p>\n  {% if cart.empty %}\n<p>x</p>";
    expect(compileTemplate({ ...ok, html })).toMatchObject({ type: "syntax_error", field: "html", line: 3, column: 3 });
  });

  it("reports a broken output in the subject with its position", () => {
    const result = compileTemplate({ ...ok, subject: "Your cart {{ shop.name " });
    expect(result).toMatchObject({ type: "syntax_error", field: "subject", line: 1, column: 11 });
    expect(result.type === "syntax_error" && result.message).toMatch(/not closed/);
  });

  it("rejects unknown filters at save time instead of at send time", () => {
    const result = compileTemplate({ ...ok, preheader: "{{ cart.total | monee }}" });
    expect(result).toMatchObject({ type: "syntax_error", field: "preheader", line: 1, column: 1 });
    expect(result.type === "syntax_error" && result.message).toMatch(/undefined filter: monee/);
  });

  it("refuses partials, which could read files or recurse", () => {
    for (const html of ["{% include 'x' %}", "{% render 'self' %}", "{% layout 'base' %}"]) {
      const result = compileTemplate({ ...ok, html: `<p>a</p>\n${html}` });
      expect(result).toMatchObject({ type: "syntax_error", field: "html", line: 2, column: 1 });
      expect(result.type === "syntax_error" && result.message).toMatch(/is not supported in email templates/);
    }
  });

  it("inlines the CSS once, keeping media queries for dark mode and small screens", () => {
    const result = compileTemplate(DEFAULT_TEMPLATE);
    if (result.type !== "ok") throw new Error(result.message);
    const html = result.template.inlinedHtml;
    expect(html).toContain('<a class="button" href="{{ recovery_url }}" style="display: inline-block;');
    expect(html).not.toContain(".item-price { padding: 16px 24px 16px 0;");
    expect(html).toContain("@media (prefers-color-scheme: dark)");
    expect(html).toContain("{% for item in cart.items %}");
  });
});
