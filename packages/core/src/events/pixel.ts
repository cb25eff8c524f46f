import type { WireEvent } from "./wire.ts";

/**
 * Shopify web pixel standard events → wire events, so that the pixel extension can forward
 * what `analytics.subscribe` hands it unchanged (extensions hold no business logic). Ids
 * there are numeric strings, money JSON numbers in major units, the cart id is the token.
 * Events that say nothing about a cart or an identity map to `{ type: "not_cart" }`.
 */
export const PIXEL_EVENT_NAMES = [
  "product_added_to_cart",
  "product_removed_from_cart",
  "cart_viewed",
  "checkout_started",
  "checkout_contact_info_submitted",
  "checkout_completed",
] as const;

export type PixelTranslation =
  | { type: "ok"; event: WireEvent }
  | { type: "not_cart"; name: string }
  | { type: "not_pixel" };

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Standard event names are snake_case; wire names are Title Case: no overlap. */
export function isPixelEvent(input: unknown): boolean {
  const name = obj(input).name;
  return typeof name === "string" && /^[a-z_]+$/.test(name);
}

export function fromPixelEvent(input: unknown): PixelTranslation {
  if (!isPixelEvent(input)) return { type: "not_pixel" };
  const raw = obj(input);
  const name = raw.name as string;
  const data = obj(raw.data);
  const base = {
    id: raw.id as string,
    occurredAt: raw.timestamp as string,
    ...(str(raw.clientId) ? { clientId: str(raw.clientId) } : {}),
  };
  switch (name) {
    case "product_added_to_cart":
    case "product_removed_from_cart": {
      const cartLine = obj(data.cartLine);
      const l = merchandiseLine(obj(cartLine.merchandise), cartLine.quantity);
      const event = name === "product_added_to_cart" ? "Added to Cart" : "Removed from Cart";
      return { type: "ok", event: { ...base, name: event, ...l } as WireEvent };
    }
    case "cart_viewed": {
      const cart = obj(data.cart);
      const lines = arr(cart.lines).map((x) => merchandiseLine(obj(obj(x).merchandise), obj(x).quantity));
      return { type: "ok", event: { ...base, name: "Cart Snapshot", cartToken: cart.id as string, lines } as WireEvent };
    }
    case "checkout_started":
    case "checkout_completed":
      return { type: "ok", event: checkoutEvent(name, obj(data.checkout), base) };
    case "checkout_contact_info_submitted": {
      // Shoppers submit the contact step empty (phone-only shops, express pay): nothing to identify.
      const checkout = obj(data.checkout);
      if (!str(checkout.email) && !str(checkout.phone)) return { type: "not_cart", name };
      return { type: "ok", event: checkoutEvent(name, checkout, base) };
    }
    default:
      return { type: "not_cart", name };
  }
}

function checkoutEvent(name: string, checkout: Json, base: { id: string; occurredAt: string; clientId?: string }): WireEvent {
  const identity = {
    ...(str(checkout.token) ? { checkoutToken: str(checkout.token) } : {}),
    ...(str(checkout.email) ? { email: str(checkout.email) } : {}),
    ...(str(checkout.phone) ? { phone: str(checkout.phone) } : {}),
  };
  const lines = arr(checkout.lineItems).map((x) => merchandiseLine(obj(obj(x).variant), obj(x).quantity));
  const total = obj(checkout.totalPrice);
  const money = {
    ...(typeof total.amount === "number" ? { total: total.amount } : {}),
    ...(str(checkout.currencyCode) ? { currency: str(checkout.currencyCode) } : {}),
  };
  if (name === "checkout_contact_info_submitted") {
    return { ...base, ...identity, name: "Identify", via: "checkout" } as WireEvent;
  }
  if (name === "checkout_completed") {
    const orderId = obj(checkout.order).id;
    return { ...base, ...identity, ...money, name: "Charged", orderId, lines } as WireEvent;
  }
  return { ...base, ...identity, ...money, name: "Checkout Started", lines } as WireEvent;
}

function merchandiseLine(merchandise: Json, quantity: unknown) {
  const price = obj(merchandise.price);
  const product = obj(merchandise.product);
  return {
    variantId: merchandise.id as string,
    quantity,
    ...(typeof price.amount === "number" ? { price: price.amount } : {}),
    ...(str(price.currencyCode) ? { currency: str(price.currencyCode) } : {}),
    title: str(product.title) ?? str(merchandise.title) ?? null,
    productId: str(product.id) ?? null,
    imageUrl: str(obj(merchandise.image).src) ?? null,
    url: str(product.url) ?? null,
    sku: str(merchandise.sku) ?? null,
  };
}
