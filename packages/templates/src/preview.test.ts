import { describe, expect, it } from "vitest";
import { previewEmail } from "./preview.ts";
import { sampleRenderInput } from "./sample.ts";

describe("previewEmail", () => {
  it("renders the default template on the sample cart as a marked test email", () => {
    const result = previewEmail();
    expect(result).toMatchObject({ type: "ok", subject: "[Test] Alex, your cart at Sample Store is waiting", headers: { "X-Cartback-Test": "1" }, itemCount: 3 });
    expect(result.type === "ok" && result.text).toContain("Sample Hoodie - Large");
    expect(result.type === "ok" && result.html).toContain("$64.00");
  });

  it("shows prices in the shop's own format", () => {
    const result = previewEmail(undefined, sampleRenderInput({ shop: { money_format: "{{amount_with_comma_separator}} €", currency: "EUR" } }));
    expect(result.type === "ok" && result.html).toContain("64,00 €");
  });

  it("returns the syntax error of a template being edited", () => {
    expect(previewEmail({ subject: "Hi {{ customer.first_name", preheader: "", html: "" })).toMatchObject({ type: "syntax_error", field: "subject", line: 1 });
  });
});
