import { type CatalogContext, isoTime, type ProductFacts, type VariantFacts } from "@cartback/core/catalog/variant-row";
import { majorToMinorOrNull } from "@cartback/core/money";
import type { CopyTable, CopyValue } from "./copy-rows.ts";
import type { StagingTarget } from "./staged-rows.ts";

/**
 * variantRow (packages/core) split into what comes from the product and what comes from the
 * variant, so that PostgreSQL can put a spilled variant's row together with a join and a few
 * concatenations (staged-rows.ts) instead of the row making a round trip through Node.
 * Everything that needs JavaScript (money, URL encoding, time normalising, the "Default
 * Title" rule) is done here, once per object; row-parts.test.ts holds the SQL result equal to
 * variantRow's.
 */

/** catalog_sync_products' columns, in the order productParts gives them. */
export const PRODUCT_PARTS: CopyTable = {
  table: "catalog_sync_products",
  columns: ["shop", "sync_id", "seq", "id", "title", "image_url", "url_prefix", "vendor", "product_type", "handle", "status", "inactive", "updated_at"],
};

/** catalog_sync_variants' columns, in the order variantParts gives them. */
export const VARIANT_PARTS: CopyTable = {
  table: "catalog_sync_variants",
  columns: ["shop", "sync_id", "seq", "id", "parent", "name_suffix", "image_url", "price", "compare_at_price", "sku", "available",
    "available_if_active", "inventory_quantity", "updated_at"],
};

const DEFAULT_TITLE = "Default Title";

export function productParts(target: StagingTarget, seq: number, p: ProductFacts, ctx: CatalogContext): CopyValue[] {
  const base = p.onlineStoreUrl ?? (p.handle ? `${ctx.storefrontOrigin}/products/${encodeURIComponent(p.handle)}` : null);
  const urlPrefix = base === null ? null : `${base}${base.includes("?") ? "&" : "?"}variant=`;
  const inactive = p.status !== null && p.status !== "ACTIVE";
  return [target.shop, target.syncId, seq, p.id, p.title, p.featuredImageUrl, urlPrefix, p.vendor || null, p.productType || null, p.handle || null,
    p.status, inactive, isoTime(p.updatedAt)];
}

export function variantParts(target: StagingTarget, seq: number, parent: string, v: VariantFacts, ctx: CatalogContext): CopyValue[] {
  const title = v.title?.trim();
  const nameSuffix = title && title !== DEFAULT_TITLE ? ` - ${title}` : "";
  const availableIfActive = v.inventoryPolicy?.toUpperCase() === "CONTINUE" || v.inventoryQuantity === null || v.inventoryQuantity > 0;
  return [target.shop, target.syncId, seq, v.id, parent, nameSuffix, v.imageUrl, majorToMinorOrNull(v.price, ctx.currency),
    majorToMinorOrNull(v.compareAtPrice, ctx.currency), v.sku ? v.sku : null, v.availableForSale, availableIfActive, v.inventoryQuantity,
    isoTime(v.updatedAt)];
}
