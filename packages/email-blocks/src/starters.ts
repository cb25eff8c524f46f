import { DEFAULT_STYLE, newBlock } from "./defaults.ts";
import type { BlockDocument } from "./document.ts";

/** The designs a merchant can start a step from. Each renders any shop's catalog (cart items block). */
export const STARTERS = ["minimal", "image-led", "discount"] as const;
export type StarterName = (typeof STARTERS)[number];

export const STARTER_LABELS: Record<StarterName, string> = { minimal: "Minimal", "image-led": "Image-led", discount: "With discount" };

const SUBJECT = "{{ customer.first_name | default: 'Hi' }}, your cart at {{ shop.name }} is waiting";
const PREHEADER = "We saved your cart for you.";

export function starterDocument(name: StarterName): BlockDocument {
  const base = { version: 1 as const, subject: SUBJECT, preheader: PREHEADER, style: { ...DEFAULT_STYLE } };
  switch (name) {
    case "minimal":
      return { ...base, blocks: [newBlock("header", "header"), newBlock("text", "intro"), newBlock("cartItems", "items"), newBlock("restoreCart", "cta"), newBlock("footer", "footer")] };
    case "image-led":
      return {
        ...base,
        blocks: [
          newBlock("header", "header"),
          newBlock("image", "hero"),
          { ...newBlock("heading", "title"), align: "center" },
          newBlock("cartItems", "items"),
          newBlock("restoreCart", "cta"),
          newBlock("columns", "promises"),
          newBlock("footer", "footer"),
        ],
      };
    case "discount":
      return {
        ...base,
        subject: "{{ customer.first_name | default: 'Hi' }}, 10% off the cart you left at {{ shop.name }}",
        blocks: [newBlock("header", "header"), newBlock("heading", "title"), newBlock("discount", "code"), newBlock("cartItems", "items"), newBlock("restoreCart", "cta"), newBlock("divider", "rule"), newBlock("footer", "footer")],
      };
    default: {
      const unreachable: never = name;
      throw new Error(`unknown starter ${String(unreachable)}`);
    }
  }
}
