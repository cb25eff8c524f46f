import fc from "fast-check";
import type { Block, BlockDocument, ColumnContent } from "../document.ts";

/** Random valid block documents, covering every block type and field, for property tests. */

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const hex = fc.stringMatching(/^#[0-9a-f]{6}$/);
const align = fc.constantFrom("left" as const, "center" as const, "right" as const);
const url = fc.webUrl({ withQueryParameters: true }).filter((u) => /^https?:\/\/[^\s"'<>]+$/.test(u) && u.length <= 2000);
// Merchant text is anything: HTML, Liquid delimiters, merge tags, unicode.
const text = fc.oneof(
  fc.string({ maxLength: 60, unit: "grapheme" }),
  fc.constantFrom("{first_name}", "{% if x %}", "{{ a }}", "<script>alert(1)</script>", "**bold** and {shop_name}", "a & b\n\"q\""),
);
const label = fc.string({ minLength: 1, maxLength: 30 });

const heading = fc.record({ id, type: fc.constant("heading" as const), text, level: fc.constantFrom(1 as const, 2 as const), align });
const textBlock = fc.record({ id, type: fc.constant("text" as const), text, align });
const image = fc.record({ id, type: fc.constant("image" as const), src: fc.oneof(url, fc.constant("")), alt: fc.string({ maxLength: 40 }), href: fc.option(url, { nil: null }), width: fc.integer({ min: 40, max: 600 }) });
const button = fc.record({ id, type: fc.constant("button" as const), label, href: url, color: hex, textColor: hex, align });
const columnContent: fc.Arbitrary<ColumnContent> = fc.oneof(heading, textBlock, image, button);

export const arbitraryBlock: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ id, type: fc.constant("header" as const), logoUrl: fc.option(url, { nil: null }), logoWidth: fc.integer({ min: 40, max: 600 }), title: text, align }),
  heading,
  textBlock,
  image,
  button,
  fc.record({ id, type: fc.constant("divider" as const), color: hex, thickness: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ id, type: fc.constant("spacer" as const), height: fc.integer({ min: 4, max: 160 }) }),
  fc.record({ id, type: fc.constant("columns" as const), columns: fc.tuple(fc.array(columnContent, { maxLength: 3 }), fc.array(columnContent, { maxLength: 3 })) }),
  fc.record({
    id,
    type: fc.constant("cartItems" as const),
    columns: fc.record({ image: fc.boolean(), name: fc.boolean(), variant: fc.boolean(), quantity: fc.boolean(), price: fc.boolean(), lineTotal: fc.boolean() }),
    maxRows: fc.integer({ min: 1, max: 50 }),
    unavailable: fc.constantFrom("mark" as const, "hide" as const),
    soldOutLabel: fc.string({ minLength: 1, maxLength: 20 }),
  }),
  fc.record({ id, type: fc.constant("restoreCart" as const), label, color: hex, textColor: hex, align }),
  fc.record({ id, type: fc.constant("discount" as const), code: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), text }),
  fc.record({ id, type: fc.constant("footer" as const), text, address: fc.string({ maxLength: 60 }), unsubscribeLabel: label }),
  fc.record({ id, type: fc.constant("liquid" as const), source: fc.constantFrom("", "{{ shop.name }}", "{% for item in cart.items %}{{ item.title }}{% endfor %}") }),
);

export const arbitraryDocument: fc.Arbitrary<BlockDocument> = fc.record({
  version: fc.constant(1 as const),
  subject: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/\{[{%]/.test(s)),
  preheader: fc.string({ maxLength: 40 }).filter((s) => !/\{[{%]/.test(s)),
  style: fc.record({ background: hex, contentBackground: hex, textColor: hex, linkColor: hex }),
  blocks: fc.array(arbitraryBlock, { maxLength: 12 }),
});
