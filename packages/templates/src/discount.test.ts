import { describe, expect, it } from "vitest";
import { compileTemplate } from "./compile.ts";
import { DEFAULT_TEMPLATE } from "./default-template.ts";
import { renderEmail } from "./render.ts";
import { sampleRenderInput } from "./sample.ts";

const compiled = (html: string) => {
  const result = compileTemplate({ subject: "Your cart", preheader: "", html });
  if (result.type !== "ok") throw new Error(result.message);
  return result.template;
};

describe("discount_code in templates", () => {
  it("prints the email's code and its description", () => {
    const rendered = renderEmail(compiled("{% if discount_code %}Use {{ discount_code }} for {{ discount_description }}{% else %}no code{% endif %}"), { ...sampleRenderInput(), discount_code: "CB-ABCDEFGH23", discount_description: "10% off" });
    expect(rendered.type === "ok" && rendered.html).toContain("Use CB-ABCDEFGH23 for 10% off");
  });

  it("is nil without a code, so {% if discount_code %} is false", () => {
    const rendered = renderEmail(compiled("{% if discount_code %}Use {{ discount_code }}{% else %}no code{% endif %}"), sampleRenderInput());
    expect(rendered.type === "ok" && rendered.html).toContain("no code");
  });

  it("the default template says the code only when the email has one", () => {
    const template = compiled(DEFAULT_TEMPLATE.html);
    const withCode = renderEmail(template, { ...sampleRenderInput(), discount_code: "CB-ABCDEFGH23", discount_description: "€5,00 off" });
    const without = renderEmail(template, sampleRenderInput());
    expect(withCode.type === "ok" && withCode.html).toContain("€5,00 off with code <strong>CB-ABCDEFGH23</strong>");
    expect(without.type === "ok" && without.html).not.toContain("with code");
  });
});
