/** The part of `/cart.js` Cartback keeps: per variant, summed over lines with different properties. */
export interface CartLine {
  variantId: string;
  productId: string;
  quantity: number;
  /** Unit price in minor units, as /cart.js gives it. */
  price: number;
  title: string;
  image: string | null;
  url: string | null;
  sku: string | null;
}

export interface CartState {
  /** Without the `?key=` secret, which only /cart.js shows and nobody else needs. */
  token: string;
  currency: string;
  lines: CartLine[];
}

export function bareCartToken(token: string): string {
  const at = token.indexOf("?");
  return at === -1 ? token : token.slice(0, at);
}

/** Reads a `/cart.js` body. Returns null for anything that is not a cart. */
export function parseCartJs(json: unknown): CartState | null {
  if (typeof json !== "object" || json === null) return null;
  const cart = json as Record<string, unknown>;
  if (typeof cart.token !== "string" || !Array.isArray(cart.items)) return null;
  const byVariant = new Map<string, CartLine>();
  for (const raw of cart.items) {
    if (typeof raw !== "object" || raw === null) continue;
    const item = raw as Record<string, unknown>;
    const variantId = idString(item.variant_id || item.id);
    const quantity = Number(item.quantity);
    if (variantId === null || !Number.isInteger(quantity) || quantity <= 0) continue;
    const existing = byVariant.get(variantId);
    if (existing) {
      existing.quantity += quantity;
      continue;
    }
    byVariant.set(variantId, {
      variantId,
      productId: idString(item.product_id) || "",
      quantity,
      price: Number(item.price) || 0,
      title: String(item.title || item.product_title || ""),
      image: typeof item.image === "string" ? item.image : null,
      url: typeof item.url === "string" ? item.url : null,
      sku: typeof item.sku === "string" && item.sku !== "" ? item.sku : null,
    });
  }
  return {
    token: bareCartToken(cart.token),
    currency: typeof cart.currency === "string" ? cart.currency : "",
    lines: [...byVariant.values()],
  };
}

export interface CartDelta {
  added: Array<{ line: CartLine; quantity: number }>;
  removed: Array<{ line: CartLine; quantity: number }>;
}

/** What changed between two reads of a cart. A new token is a new cart: nothing was removed from it. */
export function diffCarts(previous: CartState | null, next: CartState): CartDelta {
  const before = new Map((previous && previous.token === next.token ? previous.lines : []).map((l) => [l.variantId, l]));
  const added: CartDelta["added"] = [];
  const removed: CartDelta["removed"] = [];
  for (const line of next.lines) {
    const was = before.get(line.variantId)?.quantity || 0;
    if (line.quantity > was) added.push({ line, quantity: line.quantity - was });
    if (line.quantity < was) removed.push({ line, quantity: was - line.quantity });
    before.delete(line.variantId);
  }
  for (const line of before.values()) removed.push({ line, quantity: line.quantity });
  return { added, removed };
}

/** A short fingerprint, comparable with the one the app embed renders from Liquid's `cart`. */
export function cartSignature(state: { token: string; lines: Array<{ variantId: string; quantity: number }> } | null): string {
  if (state === null) return "";
  const lines = state.lines
    .map((l) => `${l.variantId}:${l.quantity}`)
    .sort()
    .join(",");
  return `${state.token}|${lines}`;
}

function idString(value: unknown): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === "string" && /^\d+$/.test(value)) return value;
  return null;
}
