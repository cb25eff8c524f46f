/**
 * The catalog Catalog Sync writes; merchant CSV catalogs sit beside it under their own names.
 * In a module of its own, without zod, so that admin pages that only name it (the Catalog page)
 * do not ship the schema library to the browser.
 */
export const SHOPIFY_CATALOG = "shopify-catalog";
