import { randomBytes } from "node:crypto";
import type { Catalog } from "./catalog.ts";

/** One cart as the sim keeps it; serialized to Shopify's /cart.js shape by `cartJson`. */
export interface SimCart {
  token: string;
  key: string;
  lines: Array<{ variantId: string; quantity: number; properties: Record<string, string> }>;
}

export type CartResult<T> = { type: "ok"; value: T } | { type: "error"; status: number; description: string };

export class CartStore {
  private readonly carts = new Map<string, SimCart>();

  constructor(
    private readonly catalog: Catalog,
    private readonly currency: string,
  ) {}

  /** Shopify's cart cookie holds `c1-…?key=…`; the part before `?` finds the cart. */
  get(cookie: string | undefined): SimCart | null {
    if (!cookie) return null;
    return this.carts.get(decodeURIComponent(cookie).split("?")[0]!) ?? null;
  }

  create(): SimCart {
    const cart: SimCart = { token: `c1-${randomBytes(16).toString("hex")}`, key: randomBytes(16).toString("hex"), lines: [] };
    this.carts.set(cart.token, cart);
    return cart;
  }

  cookieValue(cart: SimCart): string {
    return encodeURIComponent(`${cart.token}?key=${cart.key}`);
  }

  add(cart: SimCart, items: Array<{ id: string; quantity: number; properties?: Record<string, string> }>): CartResult<number[]> {
    for (const item of items) {
      const found = this.catalog.variants.get(item.id);
      if (!found) return { type: "error", status: 422, description: "Cannot find variant" };
      if (!found.variant.available) return { type: "error", status: 422, description: `The product '${found.product.title}' is already sold out.` };
      if (!Number.isInteger(item.quantity) || item.quantity < 1) return { type: "error", status: 422, description: "Quantity must be a positive number" };
    }
    const touched: number[] = [];
    for (const item of items) {
      const properties = item.properties ?? {};
      const index = cart.lines.findIndex((l) => l.variantId === item.id && sameProps(l.properties, properties));
      if (index >= 0) cart.lines[index]!.quantity += item.quantity;
      else cart.lines.push({ variantId: item.id, quantity: item.quantity, properties });
      touched.push(index >= 0 ? index : cart.lines.length - 1);
    }
    return { type: "ok", value: touched };
  }

  /** `id` is a line key or a variant id; `line` is 1-based. Quantity 0 removes. */
  change(cart: SimCart, target: { id?: string; line?: number }, quantity: number): CartResult<null> {
    if (!Number.isInteger(quantity) || quantity < 0) return { type: "error", status: 400, description: "Quantity must be a non-negative number" };
    let index = -1;
    if (target.line !== undefined) index = target.line - 1;
    else if (target.id !== undefined) index = cart.lines.findIndex((l, i) => lineKey(cart, i) === target.id || l.variantId === target.id);
    if (index < 0 || index >= cart.lines.length) return { type: "error", status: 400, description: "no valid id or line parameter" };
    if (quantity === 0) cart.lines.splice(index, 1);
    else cart.lines[index]!.quantity = quantity;
    return { type: "ok", value: null };
  }

  update(cart: SimCart, updates: Record<string, number>): CartResult<null> {
    for (const [id, quantity] of Object.entries(updates)) {
      if (!this.catalog.variants.has(id)) return { type: "error", status: 422, description: "Cannot find variant" };
      if (!Number.isInteger(quantity) || quantity < 0) return { type: "error", status: 422, description: "Quantity must be a non-negative number" };
    }
    for (const [id, quantity] of Object.entries(updates)) {
      const index = cart.lines.findIndex((l) => l.variantId === id);
      if (index < 0 && quantity > 0) cart.lines.push({ variantId: id, quantity, properties: {} });
      else if (index >= 0 && quantity === 0) cart.lines.splice(index, 1);
      else if (index >= 0) cart.lines[index]!.quantity = quantity;
    }
    return { type: "ok", value: null };
  }

  clear(cart: SimCart): void {
    cart.lines = [];
  }

  lineJson(cart: SimCart, index: number): Record<string, unknown> {
    const line = cart.lines[index]!;
    const { product, variant } = this.catalog.variants.get(line.variantId)!;
    const single = product.variants.length === 1 && variant.title === "Default Title";
    const id = Number(variant.id);
    return {
      id,
      properties: line.properties,
      quantity: line.quantity,
      variant_id: id,
      key: lineKey(cart, index),
      title: single ? product.title : `${product.title} - ${variant.title}`,
      price: variant.price,
      original_price: variant.price,
      discounted_price: variant.price,
      line_price: variant.price * line.quantity,
      original_line_price: variant.price * line.quantity,
      final_price: variant.price,
      final_line_price: variant.price * line.quantity,
      total_discount: 0,
      discounts: [],
      sku: variant.sku ?? "",
      grams: 0,
      vendor: product.vendor,
      taxable: true,
      product_id: Number(product.id),
      product_has_only_default_variant: single,
      gift_card: false,
      url: `/products/${product.handle}?variant=${variant.id}`,
      image: product.image,
      handle: product.handle,
      requires_shipping: true,
      product_type: product.productType,
      product_title: product.title,
      product_description: product.description,
      variant_title: single ? null : variant.title,
      variant_options: variant.options,
    };
  }

  cartJson(cart: SimCart): Record<string, unknown> {
    const items = cart.lines.map((_, i) => this.lineJson(cart, i));
    const total = items.reduce((sum, item) => sum + (item.line_price as number), 0);
    return {
      token: `${cart.token}?key=${cart.key}`,
      note: null,
      attributes: {},
      original_total_price: total,
      total_price: total,
      total_discount: 0,
      total_weight: 0,
      item_count: cart.lines.reduce((sum, l) => sum + l.quantity, 0),
      items,
      requires_shipping: items.length > 0,
      currency: this.currency,
      items_subtotal_price: total,
      cart_level_discount_applications: [],
    };
  }
}

/** Shopify's line keys are `variantId:hash-of-properties`. */
function lineKey(cart: SimCart, index: number): string {
  const line = cart.lines[index]!;
  const props = JSON.stringify(line.properties);
  let hash = 0;
  for (const ch of props) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `${line.variantId}:${hash.toString(16)}`;
}

function sameProps(a: Record<string, string>, b: Record<string, string>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
