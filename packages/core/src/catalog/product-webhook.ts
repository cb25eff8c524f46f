import { z } from "zod";
import { numericId } from "./ids.ts";
import type { CatalogRow } from "./row.ts";
import { type CatalogContext, isoTime, type ProductFacts, type VariantFacts, variantRow } from "./variant-row.ts";

/**
 * The REST product in products/create and products/update payloads (2025-01 and later).
 * Parse the raw body with parseJsonKeepingBigIds first: ids above 2^53 then arrive as
 * strings. `admin_graphql_api_id` carries the exact id and wins when present.
 */
const Id = z.union([z.string(), z.number()]);
const Image = z.looseObject({ id: Id.nullish(), src: z.string().nullish() });

export const RestVariant = z.looseObject({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  title: z.string().nullish(),
  sku: z.string().nullish(),
  price: z.union([z.string(), z.number()]).nullish(),
  compare_at_price: z.union([z.string(), z.number()]).nullish(),
  inventory_quantity: z.number().int().nullish(),
  inventory_policy: z.string().nullish(),
  image_id: Id.nullish(),
  updated_at: z.string().nullish(),
});
export type RestVariant = z.infer<typeof RestVariant>;

export const RestProduct = z.looseObject({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  title: z.string(),
  handle: z.string().nullish(),
  vendor: z.string().nullish(),
  product_type: z.string().nullish(),
  status: z.string().nullish(),
  updated_at: z.string().nullish(),
  image: Image.nullish(),
  images: z.array(Image).nullish(),
  variants: z.array(RestVariant).default([]),
  /** Every variant id, also past the 100 that `variants` details. */
  variant_gids: z.array(z.looseObject({ admin_graphql_api_id: z.string() })).nullish(),
});
export type RestProduct = z.infer<typeof RestProduct>;

export const RestProductDeleted = z.looseObject({ id: Id });
export type RestProductDeleted = z.infer<typeof RestProductDeleted>;

export interface ProductUpdate {
  productId: string;
  rows: CatalogRow[];
  /** Variants that still exist: rows of this product outside this set were deleted. */
  keepVariantIds: string[];
}

export function productUpdate(product: RestProduct, ctx: CatalogContext): ProductUpdate | null {
  const productId = numericId(product.admin_graphql_api_id) ?? numericId(product.id);
  if (!productId) return null;
  const images = new Map<string, string>();
  for (const image of product.images ?? []) {
    const id = numericId(image.id);
    if (id && image.src) images.set(id, image.src);
  }
  const facts: ProductFacts = {
    id: productId,
    title: product.title,
    handle: product.handle || null,
    vendor: product.vendor || null,
    productType: product.product_type || null,
    status: product.status ? product.status.toUpperCase() : null,
    updatedAt: isoTime(product.updated_at),
    onlineStoreUrl: null,
    featuredImageUrl: product.image?.src ?? product.images?.[0]?.src ?? null,
  };
  const rows: CatalogRow[] = [];
  for (const v of product.variants) {
    const id = numericId(v.admin_graphql_api_id) ?? numericId(v.id);
    if (!id) continue;
    const imageId = numericId(v.image_id);
    const variant: VariantFacts = {
      id,
      title: v.title ?? null,
      sku: v.sku ?? null,
      price: v.price == null ? null : String(v.price),
      compareAtPrice: v.compare_at_price == null ? null : String(v.compare_at_price),
      inventoryQuantity: v.inventory_quantity ?? null,
      availableForSale: null,
      inventoryPolicy: v.inventory_policy ?? null,
      imageUrl: imageId ? (images.get(imageId) ?? null) : null,
      updatedAt: isoTime(v.updated_at),
    };
    rows.push(variantRow(facts, variant, ctx));
  }
  const keep = new Set(rows.map((row) => row.Identity));
  for (const gid of product.variant_gids ?? []) {
    const id = numericId(gid.admin_graphql_api_id);
    if (id) keep.add(id);
  }
  return { productId, rows, keepVariantIds: [...keep] };
}
