import type { Block, BlockOf, BlockType, DocumentStyle } from "./document.ts";

/** What the editor's "Add block" menu inserts: every block with sensible settings. */
export const BLOCK_LABELS: Record<BlockType, string> = {
  header: "Header / logo",
  heading: "Heading",
  text: "Text",
  image: "Image",
  button: "Button",
  divider: "Divider",
  spacer: "Spacer",
  columns: "Two columns",
  cartItems: "Cart items",
  restoreCart: "Restore-cart button",
  discount: "Discount code",
  footer: "Footer",
  liquid: "Liquid",
};

export const BLOCK_TYPES = Object.keys(BLOCK_LABELS) as BlockType[];

export const DEFAULT_STYLE: DocumentStyle = { background: "#f4f4f5", contentBackground: "#ffffff", textColor: "#18181b", linkColor: "#18181b" };

type Defaults = { [T in BlockType]: Omit<BlockOf<T>, "id"> };

const DEFAULTS: Defaults = {
  header: { type: "header", logoUrl: null, logoWidth: 120, title: "{shop_name}", align: "center" },
  heading: { type: "heading", text: "You left something behind", level: 1, align: "left" },
  text: { type: "text", text: "Hi {first_name}, we saved your cart for you.", align: "left" },
  // No picture until the merchant gives one of theirs (an empty src is left out of the email).
  image: { type: "image", src: "", alt: "Our latest collection", href: null, width: 552 },
  button: { type: "button", label: "Visit the shop", href: "https://example.com", color: "#18181b", textColor: "#ffffff", align: "center" },
  divider: { type: "divider", color: "#e4e4e7", thickness: 1 },
  spacer: { type: "spacer", height: 24 },
  columns: {
    type: "columns",
    columns: [
      [{ id: "c1", type: "text", text: "**Free returns** within 30 days.", align: "left" }],
      [{ id: "c2", type: "text", text: "**Questions?** Just reply to this email.", align: "left" }],
    ],
  },
  cartItems: { type: "cartItems", columns: { image: true, name: true, variant: false, quantity: true, price: false, lineTotal: true }, maxRows: 5, unavailable: "mark", soldOutLabel: "Sold out" },
  restoreCart: { type: "restoreCart", label: "Return to your cart", color: "#18181b", textColor: "#ffffff", align: "center" },
  discount: { type: "discount", code: "WELCOME10", text: "Use this code at checkout for 10% off:" },
  footer: { type: "footer", text: "You are receiving this because you added items to your cart at {shop_name}.", address: "", unsubscribeLabel: "Unsubscribe" },
  liquid: { type: "liquid", source: "{% for item in cart.items %}{{ item.title }}<br>{% endfor %}" },
};

/** A new block of this type; `id` comes from the caller (the editor makes unique ones). */
export function newBlock<T extends BlockType>(type: T, id: string): BlockOf<T> {
  return structuredClone({ id, ...DEFAULTS[type] }) as unknown as BlockOf<T>;
}

/** Every block type once, in menu order: what the overflow test renders. */
export function allDefaultBlocks(): Block[] {
  return BLOCK_TYPES.map((type, i) => newBlock(type, `b${i}`));
}
