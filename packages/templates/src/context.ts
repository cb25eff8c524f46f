import type { CatalogRow } from "@cartback/core/catalog/row";
import { type TemplateRow, templateRow } from "./catalog-item.ts";
import type { ProfileValue, RenderInput } from "./input.ts";

/**
 * A catalog row as a template sees it in `cart.items`, with Shopify-style names beside CleverTap's.
 * `price` and `line_price` are minor units, as Shopify's `item.price` is; `Price` is CleverTap's text.
 */
export type CartItem = TemplateRow & {
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
  Catalog: Record<string, TemplateRow[]>;
  shop: RenderInput["shop"];
  recovery_url: string;
  unsubscribe_url: string;
  discount_code: string | null;
  discount_description: string | null;
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
export function joinCatalog<R extends { Identity: string }>(ids: readonly string[], rows: readonly R[] | RowLookup<R>): R[] {
  const byId: RowLookup<R> = isRowList(rows) ? indexRows(rows) : rows;
  const seen = new Set<string>();
  const joined: R[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (row === undefined || seen.has(id)) continue;
    seen.add(id);
    joined.push(row);
  }
  return joined;
}

/** Rows by Identity: a Map, or rows converted on first read. */
export type RowLookup<R> = { get(id: string): R | undefined };

function isRowList<R>(rows: readonly R[] | RowLookup<R>): rows is readonly R[] {
  return Array.isArray(rows);
}

function indexRows<R extends { Identity: string }>(rows: readonly R[]): Map<string, R> {
  return new Map(rows.map((row) => [row.Identity, row]));
}

/**
 * Catalog rows by Identity, converted to what templates read on first use: a render reads a
 * handful of the up to 1,000 rows it is given, in both `Catalog` and `cart.items`.
 */
class TemplateRows implements RowLookup<TemplateRow> {
  private readonly converted = new Map<string, TemplateRow>();
  constructor(private readonly byId: ReadonlyMap<string, CatalogRow>) {}

  get(id: string): TemplateRow | undefined {
    let row = this.converted.get(id);
    if (row === undefined) {
      const stored = this.byId.get(id);
      if (stored === undefined) return undefined;
      row = templateRow(stored);
      this.converted.set(id, row);
    }
    return row;
  }
}

// Built field by field rather than by spreading the row: one object shape for every item
// keeps property reads in the template monomorphic, which matters at thousands of renders/s.
function cartItem(row: TemplateRow, line: RenderInput["lines"][number]): CartItem {
  return {
    Identity: row.Identity,
    Name: row.Name,
    ImageURL: row.ImageURL,
    Price: row.Price,
    CompareAtPrice: row.CompareAtPrice,
    PriceMinor: row.PriceMinor,
    CompareAtPriceMinor: row.CompareAtPriceMinor,
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

function cartOf(input: RenderInput, byId: TemplateRows): TemplateScope["cart"] {
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
  const byId = new TemplateRows(indexRows(input.catalogRows));
  const rows = joinCatalog(idsOf(input.profile[input.mapping.property]), byId);
  const Catalog: Record<string, TemplateRow[]> = { [input.mapping.catalog]: rows };
  if (input.mapping.alias !== undefined) Catalog[input.mapping.alias] = rows;
  return {
    profile: input.profile,
    customer: input.customer,
    cart: cartOf(input, byId),
    Catalog,
    shop: input.shop,
    recovery_url: input.recovery_url,
    unsubscribe_url: input.unsubscribe_url,
    discount_code: input.discount_code,
    discount_description: input.discount_description,
  };
}
