import { describe, expect, it } from "vitest";
import { compileTemplate } from "./compile.ts";
import { DEFAULT_TEMPLATE } from "./default-template.ts";
import { renderEmail } from "./render.ts";
import { inputFor } from "./testing/inputs.ts";
import { hadesCartRows } from "./testing/storefront-rows.ts";

const compiled = compileTemplate(DEFAULT_TEMPLATE);
if (compiled.type !== "ok") throw new Error(`default template does not compile: ${compiled.message}`);
const template = compiled.template;
const rows = hadesCartRows(5);

function render(input: ReturnType<typeof inputFor>) {
  const result = renderEmail(template, input);
  if (result.type !== "ok") throw new Error(`${result.type}: ${result.message}`);
  return result;
}

// Golden files are committed: a change to the default email shows up in review as a diff.
describe("default template with catalog rows from a storefront products.json (generated)", () => {
  it("renders a five-product cart", async () => {
    const email = render(inputFor(rows));
    await expect(email.html).toMatchFileSnapshot("./__golden__/default-5-items.html.golden");
    await expect(email.text).toMatchFileSnapshot("./__golden__/default-5-items.txt");
    expect(email.subject).toBe("Priya, your cart at Hades Culture is waiting");
  });

  it("renders a one-product cart with a placeholder for a missing image", async () => {
    const [first] = rows as [(typeof rows)[0]];
    const email = render(inputFor([{ ...first, ImageURL: null }], { customer: { first_name: null, last_name: null, email: "x@example.com" } }));
    await expect(email.html).toMatchFileSnapshot("./__golden__/default-1-item-no-image.html.golden");
    expect(email.subject).toBe("Hi, your cart at Hades Culture is waiting");
    expect(email.text).toContain("Hi there, you left something in your cart. We saved it for you:");
    expect(email.html).toContain('<div class="no-image"');
  });

  it("renders the empty-cart branch", async () => {
    const email = render({ ...inputFor(rows), catalogRows: [] });
    await expect(email.text).toMatchFileSnapshot("./__golden__/default-empty.txt");
    expect(email.html).not.toContain("Return to your cart");
    expect(email.itemCount).toBe(0);
  });

  it("shows every product with picture, alt text, quantity and line price, and links back to the cart", () => {
    const input = inputFor(rows);
    const email = render(input);
    for (const [i, row] of rows.entries()) {
      const quantity = i % 2 === 0 ? 1 : 2;
      expect(email.html).toContain(`alt="${row.Name}"`);
      expect(email.html).toContain(`Quantity: ${quantity}`);
      expect(email.text).toContain(row.Name);
    }
    expect(email.html.match(/<img /g)).toHaveLength(rows.length);
    expect(email.html).toContain(`href="${input.recovery_url.replaceAll("&", "&amp;")}"`);
    expect(email.text).toContain(`Return to your cart [${input.recovery_url}]`);
    expect(email.html).toContain("_160x.jpg?v=");
  });

  it("carries the preheader, dark-mode colours and inlined styles", () => {
    const email = render(inputFor(rows));
    expect(email.html).toMatch(/<div class="preheader" style="display: none;[^"]*">Still thinking about Linen Shirt - S\? We saved your cart\.<\/div>/);
    expect(email.html).toContain('<meta name="color-scheme" content="light dark">');
    expect(email.html).toContain("@media (prefers-color-scheme: dark)");
    expect(email.html).not.toContain("{{");
    expect(email.html).not.toContain("{%");
    expect(email.text).not.toMatch(/\{\{|\{%/);
  });
});
