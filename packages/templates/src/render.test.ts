import { minorToMajor } from "@cartback/core/money";
import { describe, expect, it } from "vitest";
import { compileTemplate, type CompiledTemplate, type TemplateSource } from "./compile.ts";
import { parseRenderInput, renderEmail } from "./render.ts";
import { htmlToText } from "./text-part.ts";
import { inputFor } from "./testing/inputs.ts";
import { hadesCartRows } from "./testing/storefront-rows.ts";

/** The seed campaign's body, as CleverTap's cart-abandonment guide writes it: prices print as the catalog holds them. */
const SEED =
  "{% for item in Catalog.Samplecatalog1 %}<img src=\"{{ item.ImageURL | default: 'No Image' }}\"> {{ item.Identity }} {{ item.Name }} {{ item.Price }}{% endfor %}";

function compiled(source: Partial<TemplateSource>): CompiledTemplate {
  const result = compileTemplate({ subject: "s", preheader: "", html: "", ...source });
  if (result.type !== "ok") throw new Error(`${result.type}: ${result.message}`);
  return result.template;
}

const rows = hadesCartRows(3);

function seedExpectation(shown = rows): string {
  return shown.map((row) => `<img src="${row.ImageURL ?? "No Image"}"> ${row.Identity} ${row.Name} ${row.Price === null ? "" : minorToMajor(row.Price, row.Currency)}`).join("");
}

describe("renderEmail with CleverTap's catalog mapping", () => {
  it("renders the seed snippet unchanged against a catalog named Samplecatalog1", () => {
    const result = renderEmail(compiled({ html: SEED }), inputFor(rows, { mapping: { catalog: "Samplecatalog1" } }));
    expect(result).toMatchObject({ type: "ok", html: seedExpectation() });
  });

  it("renders the seed snippet unchanged through an alias to shopify-catalog", () => {
    const result = renderEmail(compiled({ html: SEED }), inputFor(rows, { mapping: { alias: "Samplecatalog1" } }));
    expect(result).toMatchObject({ type: "ok", html: seedExpectation() });
  });

  it("reads hyphenated catalog names with bracket syntax", () => {
    const html = '{% for item in Catalog["shopify-catalog"] %}{{ item.Identity }};{% endfor %}';
    const result = renderEmail(compiled({ html }), inputFor(rows));
    expect(result).toMatchObject({ type: "ok", html: rows.map((row) => `${row.Identity};`).join("") });
  });

  it("drops deleted variants from the loop and falls back to the default for missing images", () => {
    const [first, second, third] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    const noImage = { ...second, ImageURL: null };
    const input = inputFor([first, noImage, third], { mapping: { alias: "Samplecatalog1" } });
    const result = renderEmail(compiled({ html: SEED }), { ...input, catalogRows: [first, noImage] });
    expect(result).toMatchObject({ type: "ok", html: seedExpectation([first, noImage]) });
    expect(result.type === "ok" && result.html).toContain('<img src="No Image">');
  });

  it("renders the empty branch when nothing in the cart is left in the catalog", () => {
    const html = "{% if cart.empty %}EMPTY{% else %}{{ cart.item_count }}{% endif %}";
    const result = renderEmail(compiled({ html }), { ...inputFor(rows), catalogRows: [] });
    expect(result).toMatchObject({ type: "ok", html: "EMPTY", itemCount: 0 });
  });
});

describe("renderEmail output", () => {
  it("escapes values in the HTML body but not in the subject", () => {
    const input = inputFor(rows, { customer: { first_name: "<b>Ana & Bo</b>", last_name: null, email: "a@example.com" } });
    const result = renderEmail(compiled({ subject: "{{ customer.first_name }}", html: "<p>{{ customer.first_name }}</p>{{ '<i>ok</i>' | raw }}" }), input);
    expect(result).toMatchObject({ type: "ok", subject: "<b>Ana & Bo</b>", html: "<p>&lt;b&gt;Ana &amp; Bo&lt;/b&gt;</p><i>ok</i>" });
  });

  it("formats money with the shop's format and the currency's minor units", () => {
    const html = "{{ cart.total | money }}|{{ cart.total | money_with_currency }}|{{ 100000 | money_without_trailing_zeros }}";
    const result = renderEmail(compiled({ html }), inputFor(rows));
    const total = rows.reduce((sum, row, i) => sum + (row.Price ?? 0) * (i % 2 === 0 ? 1 : 2), 0);
    const formatted = (total / 100).toLocaleString("en-US", { minimumFractionDigits: 2 });
    expect(result).toMatchObject({ type: "ok", html: `₹${formatted}|₹${formatted} INR|₹1,000` });
  });

  it("puts subject and preheader in scope for the body and keeps the subject on one line", () => {
    const result = renderEmail(compiled({ subject: "Hi\n{{ customer.first_name }}", preheader: "P", html: "{{ subject }}/{{ preheader }}" }), inputFor(rows));
    expect(result).toMatchObject({ type: "ok", subject: "Hi Priya", html: "Hi Priya/P" });
  });

  it("marks test sends in the subject and headers and always offers one-click unsubscribe", () => {
    const input = inputFor(rows, { mode: "test" });
    const result = renderEmail(compiled({ subject: "Cart" }), input);
    expect(result).toMatchObject({
      type: "ok",
      subject: "[Test] Cart",
      headers: { "List-Unsubscribe": `<${input.unsubscribe_url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "X-Cartback-Test": "1" },
    });
    const live = renderEmail(compiled({ subject: "Cart" }), inputFor(rows));
    expect(live.type === "ok" && live.headers["X-Cartback-Test"]).toBe(undefined);
  });

  it("cannot read inherited properties of values (ownPropertyOnly)", () => {
    const result = renderEmail(compiled({ html: "[{{ customer.constructor }}][{{ cart.items.first.__proto__ }}][{{ shop.hasOwnProperty }}]" }), inputFor(rows));
    expect(result).toMatchObject({ type: "ok", html: "[][][]" });
  });

  it("validates outside input, naming the field, and fills in the mapping defaults", () => {
    const bad = { ...inputFor(rows), lines: [{ variantId: "gid://shopify/ProductVariant/1", quantity: 1, unitPrice: 1, currency: "USD" }] };
    expect(parseRenderInput(bad)).toMatchObject({ type: "invalid_input", field: "lines.0.variantId" });
    expect(parseRenderInput(inputFor(rows, { recovery_url: "not a url" }))).toMatchObject({ type: "invalid_input", field: "recovery_url" });
    expect(parseRenderInput(inputFor(rows, { shop: { name: "x", domain: "x", money_format: "{{amount}}", currency: "usd" } }))).toMatchObject({ type: "invalid_input", field: "shop.currency" });
    const ok = parseRenderInput(JSON.parse(JSON.stringify(inputFor(rows))));
    expect(ok).toMatchObject({ type: "ok", input: { mapping: { property: "shopify_cart_ids", catalog: "shopify-catalog" }, mode: "live" } });
  });

  it("returns a render error with a position when a filter fails at send time", () => {
    const result = renderEmail(compiled({ html: "<p>\n{{ nil | default: 1, 2 }}</p>" }), inputFor(rows));
    expect(result).toMatchObject({ type: "render_error", field: "html", line: 2, column: 1 });
    expect(result.type === "render_error" && result.message).toMatch(/default: expected 1 argument/);
  });

  it("keeps Liquid inside attributes through CSS inlining and leaves it out of the text part", () => {
    const html = '<style>td { padding: 2px; }</style><table><tr><td {% if cart.empty %}class="a"{% endif %}>{% for item in cart.items %}<p>{{ item.title }} &amp; co</p>{% endfor %}</td></tr></table>';
    const template = compiled({ html });
    expect(template.inlinedHtml).toContain('<td {% if cart.empty %}class="a" {% endif %} style="padding: 2px;">');
    const result = renderEmail(template, inputFor(rows.slice(0, 1)));
    expect(result).toMatchObject({ type: "ok", html: `<table><tr><td  style="padding: 2px;"><p>${rows[0]?.Name} &amp; co</p></td></tr></table>`, text: `${rows[0]?.Name} & co` });
  });

  it("falls back to converting the rendered HTML when the derived text part does not parse", () => {
    // The closing tag sits in an attribute of a picture, which the text part leaves out.
    const template = compiled({ html: '<p>{{ shop.name }}</p>{% if cart.empty %}<img alt="{% endif %}"><p>Items: {{ cart.item_count }}</p>' });
    expect(template.text).toBeNull();
    const result = renderEmail(template, inputFor(rows.slice(0, 2)));
    if (result.type !== "ok") throw new Error(result.message);
    expect(result.text).toBe(htmlToText(result.html));
    expect(result.text).toMatch(/^Hades Culture\n[\s\S]*Items: 3$/);
  });
});
