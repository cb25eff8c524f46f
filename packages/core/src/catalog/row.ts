import { z } from "zod";

/**
 * One catalog row: a product variant, under CleverTap's column names so that templates
 * written for CleverTap (`item.ImageURL`, `item.Name`) render unchanged. `Identity` is the
 * variant id as a digits-only string. Money is stored in minor units (Price 2999 = 29.99
 * Currency); templates read it as CleverTap's catalog holds it, a decimal string ("29.99"), with
 * the minor units beside it as PriceMinor (@cartback/templates catalog-item.ts). CSV files carry
 * the decimal form both ways (csv-catalog.ts).
 */
export const CatalogRow = z.object({
  Identity: z.string().regex(/^\d+$/),
  Name: z.string(),
  ImageURL: z.string().nullable(),
  Price: z.number().int().nullable(),
  CompareAtPrice: z.number().int().nullable(),
  Currency: z.string().length(3),
  ProductURL: z.string().nullable(),
  SKU: z.string().nullable(),
  Available: z.boolean(),
  InventoryQuantity: z.number().int().nullable(),
  Vendor: z.string().nullable(),
  ProductType: z.string().nullable(),
  Handle: z.string().nullable(),
  ProductId: z.string().regex(/^\d+$/).nullable(),
  Status: z.string().nullable(),
  UpdatedAt: z.string().nullable(),
});
export type CatalogRow = z.infer<typeof CatalogRow>;

export { SHOPIFY_CATALOG } from "./names.ts";
