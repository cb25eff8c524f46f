import type { CatalogRow } from "@cartback/core/catalog/row";
import type { ProfileValue, RenderInput } from "./input.ts";

/** A catalog row as a template sees it in `cart.items`, with Shopify-style names beside CleverTap's. */
export type CartItem = CatalogRow & {
  variant_id: string;
  title: string;
  image: string | null;
  url: string | null;
  sku: string | null;
  quantity: number;
  price: number;
  line_price: number;
  currency: string;
};

export type TemplateScope = {
  profile: Record<string, ProfileValue>;
  customer: RenderInput["customer"];
  cart: { items: CartItem[]; item_count: number; total: number; currency: string; empty: boolean };
  Catalog: Record<string, CatalogRow[]>;
  shop: RenderInput["shop"];
  recovery_url: string;
  unsubscribe_url: string;
  subject?: string;
  preheader?: string;
};

/** CleverTap keeps list properties as arrays; older profiles hold them as comma-joined strings. */
export function idsOf(value: ProfileValue | undefined): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string") return value.split(",").map((id) => id.trim()).filter((id) => id !== "");
  if (typeof value === "number") return [String(value)];
  return [];
}

/**
 * The rows whose Identity is in the mapped property, in property (cart) order. Ids without a
 * row — a variant deleted since the add — drop out rather than render an empty product.
 */
export function joinCatalog(ids: readonly string[], rows: readonly CatalogRow[] | ReadonlyMap<string, CatalogRow>): CatalogRow[] {
  const byId = rows instanceof Map ? rows : indexRows(rows as readonly CatalogRow[]);
  const seen = new Set<string>();
  const joined: CatalogRow[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (row === undefined || seen.has(id)) continue;
    seen.add(id);
    joined.push(row);
  }
  return joined;
}

function indexRows(rows: readonly CatalogRow[]): Map<string, CatalogRow> {
  return new Map(rows.map((row) => [row.Identity, row]));
}

// Built field by field rather than by spreading the row: one object shape for every item
// keeps property reads in the template monomorphic, which matters at thousands of renders/s.
function cartItem(row: CatalogRow, line: RenderInput["lines"][number]): CartItem {
  return {
    Identity: row.Identity,
    Name: row.Name,
    ImageURL: row.ImageURL,
    Price: row.Price,
    CompareAtPrice: row.CompareAtPrice,
    Currency: row.Currency,
    ProductURL: row.ProductURL,
    SKU: row.SKU,
    Available: row.Available,
    InventoryQuantity: row.InventoryQuantity,
    Vendor: row.Vendor,
    ProductType: row.ProductType,
    Handle: row.Handle,
    ProductId: row.ProductId,
    Status: row.Status,
    UpdatedAt: row.UpdatedAt,
    variant_id: line.variantId,
    title: row.Name,
    image: row.ImageURL,
    url: row.ProductURL,
    sku: row.SKU,
    quantity: line.quantity,
    price: line.unitPrice,
    line_price: line.unitPrice * line.quantity,
    currency: line.currency,
  };
}

function cartOf(input: RenderInput, byId: ReadonlyMap<string, CatalogRow>): TemplateScope["cart"] {
  const items: CartItem[] = [];
  let itemCount = 0;
  let total = 0;
  for (const line of input.lines) {
    const row = byId.get(line.variantId);
    if (row === undefined) continue;
    const item = cartItem(row, line);
    items.push(item);
    itemCount += item.quantity;
    total += item.line_price;
  }
  const currency = items[0]?.currency ?? input.shop.currency;
  return { items, item_count: itemCount, total, currency, empty: items.length === 0 };
}

/** Everything a template can read; built fresh per render from validated input. */
export function buildScope(input: RenderInput): TemplateScope {
  const byId = indexRows(input.catalogRows);
  const rows = joinCatalog(idsOf(input.profile[input.mapping.property]), byId);
  const Catalog: Record<string, CatalogRow[]> = { [input.mapping.catalog]: rows };
  if (input.mapping.alias !== undefined) Catalog[input.mapping.alias] = rows;
  return {
    profile: input.profile,
    customer: input.customer,
    cart: cartOf(input, byId),
    Catalog,
    shop: input.shop,
    recovery_url: input.recovery_url,
    unsubscribe_url: input.unsubscribe_url,
  };
}
