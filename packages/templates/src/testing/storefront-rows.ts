import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CatalogRow } from "@cartback/core/catalog/row";

/** Shopify data in the repository: MIT-licensed captures and generated stand-ins (fixtures/shopify/PROVENANCE.md). */
export const FIXTURES = path.resolve(fileURLToPath(new URL("../../../..", import.meta.url)), "fixtures/shopify");

type StorefrontVariant = {
  id: number;
  title: string;
  sku: string | null;
  price: string;
  compare_at_price: string | null;
  available: boolean;
  featured_image: { src: string } | null;
};
type StorefrontProduct = {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  product_type: string;
  variants: StorefrontVariant[];
  images: { src: string }[];
};

/** "5499.00" → 549900 without going through a float. */
function minor(decimal: string | null): number | null {
  if (decimal === null) return null;
  const [whole = "0", fraction = ""] = decimal.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
}

/** Catalog rows as Catalog Sync would write them, from a storefront `/products.json` capture. */
export function rowsFromStorefront(file: string, shopDomain: string, currency: string): CatalogRow[] {
  const json = JSON.parse(readFileSync(path.join(FIXTURES, file), "utf8")) as { products: StorefrontProduct[] };
  return json.products.flatMap((product) =>
    product.variants.map((variant) => ({
      Identity: String(variant.id),
      Name: variant.title === "Default Title" ? product.title : `${product.title} - ${variant.title}`,
      ImageURL: variant.featured_image?.src ?? product.images[0]?.src ?? null,
      Price: minor(variant.price),
      CompareAtPrice: minor(variant.compare_at_price),
      Currency: currency,
      ProductURL: `https://${shopDomain}/products/${product.handle}?variant=${variant.id}`,
      SKU: variant.sku,
      Available: variant.available,
      InventoryQuantity: null,
      Vendor: product.vendor,
      ProductType: product.product_type === "" ? null : product.product_type,
      Handle: product.handle,
      ProductId: String(product.id),
      Status: "active",
      UpdatedAt: null,
    })),
  );
}

/** A generated storefront (fixtures/generate.ts) priced in INR: a currency whose format differs from the code's. */
export const SAMPLE_SHOP = { file: "generated/storefront-products.json", domain: "sample-store.myshopify.com", currency: "INR" };

/** One variant of each of the first `count` products: a realistic multi-product cart. */
export function sampleCartRows(count: number): CatalogRow[] {
  const rows = rowsFromStorefront(SAMPLE_SHOP.file, SAMPLE_SHOP.domain, SAMPLE_SHOP.currency);
  const firstPerProduct = new Map<string | null, CatalogRow>();
  for (const row of rows) if (!firstPerProduct.has(row.ProductId)) firstPerProduct.set(row.ProductId, row);
  return [...firstPerProduct.values()].slice(0, count);
}

/** @deprecated The captured Hades Culture store is no longer shipped; these names stay until their callers move. */
export const HADES = SAMPLE_SHOP;
/** @deprecated Use sampleCartRows. */
export const hadesCartRows = sampleCartRows;
