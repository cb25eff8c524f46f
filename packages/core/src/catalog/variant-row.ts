import { majorToMinorOrNull } from "../money.ts";
import type { CatalogRow } from "./row.ts";

/** What a row needs to know about the product, whichever API described it. */
export interface ProductFacts {
  id: string;
  title: string;
  handle: string | null;
  vendor: string | null;
  productType: string | null;
  /** GraphQL's enum spelling: ACTIVE, DRAFT, ARCHIVED. */
  status: string | null;
  updatedAt: string | null;
  onlineStoreUrl: string | null;
  featuredImageUrl: string | null;
}

export interface VariantFacts {
  id: string;
  title: string | null;
  sku: string | null;
  price: string | null;
  compareAtPrice: string | null;
  inventoryQuantity: number | null;
  /** Known from GraphQL; REST payloads leave it to be derived. */
  availableForSale: boolean | null;
  inventoryPolicy: string | null;
  imageUrl: string | null;
  updatedAt: string | null;
}

export interface CatalogContext {
  currency: string;
  /** Where product pages live when Shopify gives no onlineStoreUrl (https://shop.myshopify.com). */
  storefrontOrigin: string;
}

const DEFAULT_TITLE = "Default Title";

export function variantRow(product: ProductFacts, variant: VariantFacts, ctx: CatalogContext): CatalogRow {
  const variantTitle = variant.title?.trim();
  const name = variantTitle && variantTitle !== DEFAULT_TITLE ? `${product.title} - ${variantTitle}` : product.title;
  return {
    Identity: variant.id,
    Name: name,
    ImageURL: variant.imageUrl ?? product.featuredImageUrl ?? null,
    Price: majorToMinorOrNull(variant.price, ctx.currency),
    CompareAtPrice: majorToMinorOrNull(variant.compareAtPrice, ctx.currency),
    Currency: ctx.currency,
    ProductURL: productUrl(product, variant.id, ctx),
    SKU: variant.sku ? variant.sku : null,
    Available: isAvailable(product, variant),
    InventoryQuantity: variant.inventoryQuantity,
    Vendor: product.vendor || null,
    ProductType: product.productType || null,
    Handle: product.handle || null,
    ProductId: product.id,
    Status: product.status,
    UpdatedAt: latest(product.updatedAt, variant.updatedAt),
  };
}

function productUrl(product: ProductFacts, variantId: string, ctx: CatalogContext): string | null {
  const base = product.onlineStoreUrl ?? (product.handle ? `${ctx.storefrontOrigin}/products/${encodeURIComponent(product.handle)}` : null);
  if (!base) return null;
  return `${base}${base.includes("?") ? "&" : "?"}variant=${variantId}`;
}

/** Shopify's availableForSale when given; otherwise active and (in stock or sold past zero). */
function isAvailable(product: ProductFacts, variant: VariantFacts): boolean {
  if (variant.availableForSale !== null) return variant.availableForSale;
  if (product.status !== null && product.status !== "ACTIVE") return false;
  if (variant.inventoryPolicy?.toUpperCase() === "CONTINUE") return true;
  return variant.inventoryQuantity === null || variant.inventoryQuantity > 0;
}

/** ISO 8601 in UTC, so rows from GraphQL and REST (which uses offsets) compare as text. */
export function isoTime(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  // GraphQL's own form (UTC, whole seconds) only gains the milliseconds; no Date round trip.
  if (value.length === 20 && UTC_SECONDS.test(value)) return `${value.slice(0, 19)}.000Z`;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Days past the 28th and hour 24 go the slow way: Date.parse rolls them into the next month/day. */
const UTC_SECONDS = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;

function latest(a: string | null, b: string | null): string | null {
  const x = isoTime(a);
  const y = isoTime(b);
  if (!x) return y;
  if (!y) return x;
  // ISO text in UTC compares as time; Math.max would turn it into NaN.
  if (x > y) return x;
  return y;
}
