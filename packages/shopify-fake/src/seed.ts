import { readFileSync } from "node:fs";
import type { FakeProduct, FakeVariant } from "./store.ts";

/**
 * Seeds the fake from real captures: Admin REST `products.json` dumps, storefront
 * `/products.json` dumps, and bulk JSONL results. Ids above 2^53 are read as text.
 */
type Json = Record<string, unknown>;

const digits = (value: unknown): string | null => {
  if (typeof value === "string") return /^\d+$/.test(value) ? value : (/\/(\d+)(?:\?|$)/.exec(value)?.[1] ?? null);
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return null;
};
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const record = (value: unknown): Json | null => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : null);
const iso = (value: unknown): string => {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? "2026-01-01T00:00:00.000Z" : new Date(ms).toISOString();
};

function quoteLongIntegers(raw: string): string {
  // Good enough for fixture files: long bare integers only ever appear as values.
  return raw.replace(/([:[,]\s*)(\d{16,})(?=\s*[,}\]])/g, '$1"$2"');
}

/** A products.json dump (Admin REST or storefront) → fake products. */
export function productsFromJson(raw: string): FakeProduct[] {
  const parsed = JSON.parse(quoteLongIntegers(raw)) as unknown;
  const list = Array.isArray(parsed) ? parsed : (record(parsed)?.products as unknown[] | undefined) ?? [record(parsed)?.product].filter(Boolean);
  return list.map((item) => restProduct(record(item)!)).filter((p): p is FakeProduct => p !== null);
}

export function productsFromJsonFile(file: string): FakeProduct[] {
  return productsFromJson(readFileSync(file, "utf8"));
}

function restProduct(p: Json): FakeProduct | null {
  const id = digits(p.admin_graphql_api_id) ?? digits(p.id);
  const title = text(p.title);
  if (!id || !title) return null;
  const images = new Map<string, string>();
  for (const image of Array.isArray(p.images) ? p.images : []) {
    const img = record(image);
    const imageId = digits(img?.id);
    if (imageId && text(img?.src)) images.set(imageId, img!.src as string);
  }
  const firstImage = record(Array.isArray(p.images) ? p.images[0] : null);
  const variants = (Array.isArray(p.variants) ? p.variants : []).map((item): FakeVariant | null => {
    const v = record(item);
    const variantId = digits(v?.admin_graphql_api_id) ?? digits(v?.id);
    if (!v || !variantId) return null;
    const quantity = typeof v.inventory_quantity === "number" ? v.inventory_quantity : null;
    const featured = record(v.featured_image);
    return {
      id: variantId,
      title: text(v.title) ?? "Default Title",
      sku: text(v.sku),
      price: String(v.price ?? "0.00"),
      compareAtPrice: v.compare_at_price == null || v.compare_at_price === "" ? null : String(v.compare_at_price),
      inventoryQuantity: quantity,
      availableForSale: typeof v.available === "boolean" ? v.available : quantity === null || quantity > 0 || v.inventory_policy === "continue",
      imageUrl: text(featured?.src) ?? images.get(digits(v.image_id) ?? "") ?? null,
      updatedAt: iso(v.updated_at),
    };
  });
  return {
    id,
    title,
    handle: text(p.handle) ?? id,
    vendor: text(p.vendor),
    productType: text(p.product_type),
    status: (text(p.status)?.toUpperCase() as FakeProduct["status"] | undefined) ?? "ACTIVE",
    updatedAt: iso(p.updated_at),
    onlineStoreUrl: null,
    featuredImageUrl: text(record(p.image)?.src) ?? text(firstImage?.src),
    variants: variants.filter((v): v is FakeVariant => v !== null),
  };
}

/** Bulk JSONL (products and variants, any order) → fake products; other objects are dropped. */
export function productsFromBulkJsonl(raw: string): FakeProduct[] {
  const products = new Map<string, FakeProduct>();
  const variants: Array<[string, FakeVariant]> = [];
  for (const line of raw.split("\n")) {
    if (line.trim() === "") continue;
    const o = JSON.parse(line) as Json;
    const id = text(o.id) ?? "";
    if (id.includes("/Product/")) {
      const featured = record(o.featuredImage) ?? record(record(record(o.featuredMedia)?.preview)?.image);
      products.set(digits(id)!, {
        id: digits(id)!,
        title: String(o.title),
        handle: text(o.handle) ?? digits(id)!,
        vendor: text(o.vendor),
        productType: text(o.productType),
        status: (text(o.status) as FakeProduct["status"] | null) ?? "ACTIVE",
        updatedAt: iso(o.updatedAt),
        onlineStoreUrl: text(o.onlineStoreUrl),
        featuredImageUrl: text(featured?.url) ?? text(featured?.src) ?? text(featured?.originalSrc),
        variants: [],
      });
    } else if (id.includes("/ProductVariant/")) {
      const parent = digits(o.__parentId) ?? digits(record(o.product)?.id);
      const image = record(o.image);
      if (!parent) continue;
      variants.push([parent, {
        id: digits(id)!,
        title: text(o.title) ?? "Default Title",
        sku: text(o.sku),
        price: String(o.price ?? "0.00"),
        compareAtPrice: text(o.compareAtPrice),
        inventoryQuantity: typeof o.inventoryQuantity === "number" ? o.inventoryQuantity : null,
        availableForSale: o.availableForSale !== false,
        imageUrl: text(image?.url) ?? text(image?.src) ?? text(image?.originalSrc),
        updatedAt: iso(o.updatedAt),
      }]);
    }
  }
  for (const [parent, variant] of variants) products.get(parent)?.variants.push(variant);
  return [...products.values()];
}
