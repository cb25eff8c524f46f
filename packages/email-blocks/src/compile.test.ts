import { minorToMajor } from "@cartback/core/money";
import { compileTemplate } from "@cartback/templates";
import { hadesCartRows } from "@cartback/templates/testing/storefront-rows";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalogExpression } from "./blocks/cart.ts";
import { compileDocument } from "./compile.ts";
import { allDefaultBlocks, DEFAULT_STYLE, newBlock } from "./defaults.ts";
import type { Block, BlockDocument, BlockOf } from "./document.ts";
import { STARTERS, starterDocument } from "./starters.ts";
import { arbitraryDocument } from "./testing/arbitrary.ts";
import { renderDocument } from "./testing/render.ts";

const rows = hadesCartRows(5);
const doc = (blocks: Block[]): BlockDocument => ({ version: 1, subject: "Your cart", preheader: "", style: DEFAULT_STYLE, blocks });
const items = (patch: Partial<BlockOf<"cartItems">> = {}) => ({ ...newBlock("cartItems", "items"), ...patch });
const itemRows = (html: string) => html.match(/<tr class="item"/g)?.length ?? 0;

/** The seed campaign's snippet from CleverTap's guide, as packages/templates/src/render.test.ts renders it. */
const SEED =
  "{% for item in Catalog.Samplecatalog1 %}<img src=\"{{ item.ImageURL | default: 'No Image' }}\"> {{ item.Identity }} {{ item.Name }} {{ item.Price }}{% endfor %}";

describe("compileDocument", () => {
  it("renders each starter design with the cart's products, quantities, line totals and links", () => {
    for (const name of STARTERS) {
      const { email, input } = renderDocument(starterDocument(name), rows);
      for (const [i, row] of rows.entries()) {
        expect(email.html).toContain(`alt="${row.Name}"`);
        expect(email.html).toContain(`Quantity: ${i % 2 === 0 ? 1 : 2}`);
      }
      expect(itemRows(email.html)).toBe(5);
      expect(email.html).toContain(`href="${input.recovery_url.replaceAll("&", "&amp;")}"`);
      expect(email.html).toContain(`href="${input.unsubscribe_url}"`);
      expect(email.subject).toContain("Priya");
    }
  });

  it("ships no third party's image or link: defaults and starters point only at the reserved example.com", () => {
    const shipped = JSON.stringify([allDefaultBlocks(), ...STARTERS.map(starterDocument)]);
    const hosts = new Set([...shipped.matchAll(/https?:\/\/([^/"\s]+)/g)].map((m) => m[1]));
    expect([...hosts]).toEqual(["example.com"]);
  });

  it("leaves the image-led hero out until the merchant sets one; the cart's own pictures still show", () => {
    const starter = starterDocument("image-led");
    expect(starter.blocks.find((b) => b.id === "hero")).toMatchObject({ type: "image", src: "" });
    const { email } = renderDocument(starter, rows);
    const images = [...email.html.matchAll(/<img src="([^"]*)"/g)].map((m) => m[1] ?? "");
    // Only the cart's product pictures (resized by the image filter), one per row.
    expect(images).toHaveLength(rows.filter((row) => row.ImageURL).length);
    for (const src of images) expect(rows.some((row) => row.ImageURL && src.startsWith(row.ImageURL.replace(/\.\w+\?.*$/, "")))).toBe(true);
    const withHero = { ...starter, blocks: starter.blocks.map((b) => (b.type === "image" ? { ...b, src: "https://shop.example/banner.png" } : b)) };
    expect(renderDocument(withHero, rows).email.html).toContain('<img src="https://shop.example/banner.png"');
  });

  it("leaves an image with no URL out of a column too", () => {
    const hero = { ...newBlock("image", "pic"), src: "" };
    const cols = { ...newBlock("columns", "cols"), columns: [[hero], [hero]] as BlockOf<"columns">["columns"] };
    expect(renderDocument(doc([cols]), rows).email.html).not.toContain("<img");
  });

  it("loops over the campaign's catalog mapping: the alias, else the catalog by bracket name", () => {
    expect(catalogExpression({ catalog: "shopify-catalog", alias: "Samplecatalog1" })).toBe("Catalog.Samplecatalog1");
    expect(catalogExpression({ catalog: "shopify-catalog" })).toBe('Catalog["shopify-catalog"]');
    expect(compileDocument(doc([items()]), { catalog: "shopify-catalog", alias: "Samplecatalog1" }).html).toContain("{% for item in Catalog.Samplecatalog1 %}");
    const { email } = renderDocument(doc([items()]), rows, { catalog: "shopify-catalog", alias: "Samplecatalog1" });
    expect(itemRows(email.html)).toBe(5);
  });

  it("shows maxRows products then 'and N more'", () => {
    const { email } = renderDocument(doc([items({ maxRows: 2 })]), rows);
    expect(itemRows(email.html)).toBe(2);
    expect(email.html).toContain("and 3 more");
    expect(email.html).toContain(rows[1]!.Name);
    expect(email.html).not.toContain(`alt="${rows[2]!.Name}"`);
  });

  it("shows only the chosen columns: price and line total in the shop's money format", () => {
    const columns = { image: false, name: true, variant: true, quantity: false, price: true, lineTotal: true };
    const { email } = renderDocument(doc([items({ columns })]), rows);
    const second = rows[1]!;
    expect(email.html).not.toContain("<img");
    expect(email.html).not.toContain("Quantity:");
    expect(email.html).toContain(`₹${minorToMajor(second.Price!, second.Currency)}`);
    expect(email.html).toContain(`₹${minorToMajor(second.Price! * 2, second.Currency)}`);
    if (second.SKU) expect(email.html).toContain(`SKU ${second.SKU}`);
  });

  it("marks a sold-out variant, or leaves it out, and the rest of the email still renders", () => {
    const soldOut = rows.map((row, i) => (i === 1 ? { ...row, Available: false } : row));
    const marked = renderDocument(doc([items({ soldOutLabel: "Gone!" }), newBlock("restoreCart", "cta")]), soldOut).email.html;
    expect(itemRows(marked)).toBe(5);
    expect(marked.match(/Gone!/g)).toHaveLength(1);
    const hidden = renderDocument(doc([items({ unavailable: "hide", maxRows: 3 }), newBlock("restoreCart", "cta")]), soldOut).email.html;
    expect(itemRows(hidden)).toBe(3);
    expect(hidden).not.toContain(`alt="${rows[1]!.Name}"`);
    expect(hidden).toContain("and 1 more");
    expect(hidden).toContain("Return to your cart");
  });

  it("drops a deleted variant (no catalog row) and keeps the other rows", () => {
    const { input } = renderDocument(doc([items()]), rows);
    const { email } = renderDocument(doc([items(), newBlock("restoreCart", "cta")]), rows, undefined, { catalogRows: rows.slice(1) , lines: input.lines });
    expect(itemRows(email.html)).toBe(4);
    expect(email.html).toContain("Return to your cart");
  });

  it("renders the seed's snippet pasted into a Liquid block with the golden test's rows", () => {
    const seed = rows.slice(0, 3);
    const expected = seed.map((row) => `<img src="${row.ImageURL ?? "No Image"}"> ${row.Identity} ${row.Name} ${row.Price === null ? "" : minorToMajor(row.Price, row.Currency)}`).join("");
    const { email } = renderDocument(doc([{ id: "seed", type: "liquid", source: SEED }]), seed, { catalog: "shopify-catalog", alias: "Samplecatalog1" });
    expect(email.html).toContain(expected);
  });

  it("shows typed HTML and Liquid as text and fills merge tags", () => {
    const text = { id: "t", type: "text" as const, text: "Hi {first_name} <script>x</script> {% if %} {{ shop.name }} **bold**", align: "left" as const };
    const { email } = renderDocument(doc([text]), rows);
    expect(email.html).toContain("Hi Priya &lt;script&gt;x&lt;/script&gt; &#123;% if %&#125; &#123;&#123; shop.name &#125;&#125; <strong>bold</strong>");
    expect(email.html).not.toContain("<script");
  });

  it("compiles every random document to a template the engine accepts", () => {
    fc.assert(
      fc.property(arbitraryDocument, (d) => {
        const result = compileTemplate(compileDocument(d, { catalog: "shopify-catalog" }));
        expect(result.type).toBe("ok");
      }),
      { numRuns: 60 },
    );
  });
});
