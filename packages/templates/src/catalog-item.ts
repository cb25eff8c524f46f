import { minorToMajor } from "@cartback/core/money";
import type { CatalogRow } from "@cartback/core/catalog/row";

/**
 * A catalog row as a template reads it. CleverTap's catalog holds prices as the shop shows
 * them, so `Price` and `CompareAtPrice` are decimal strings in the currency's own exponent
 * ("29.00", JPY "2900", KWD "29.000") and a CleverTap template prints them unchanged. The
 * stored integers stay readable as `PriceMinor` / `CompareAtPriceMinor` for arithmetic; the
 * `money` filters take either.
 */
export type TemplateRow = Omit<CatalogRow, "Price" | "CompareAtPrice"> & {
  Price: string | null;
  CompareAtPrice: string | null;
  PriceMinor: number | null;
  CompareAtPriceMinor: number | null;
};

// Built field by field rather than by spreading the row: one object shape for every row
// keeps property reads in the template monomorphic, which matters at thousands of renders/s.
export function templateRow(row: CatalogRow): TemplateRow {
  return {
    Identity: row.Identity,
    Name: row.Name,
    ImageURL: row.ImageURL,
    Price: row.Price === null ? null : minorToMajor(row.Price, row.Currency),
    CompareAtPrice: row.CompareAtPrice === null ? null : minorToMajor(row.CompareAtPrice, row.Currency),
    PriceMinor: row.Price,
    CompareAtPriceMinor: row.CompareAtPrice,
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
  };
}
