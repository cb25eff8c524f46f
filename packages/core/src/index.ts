// Pure domain. Import areas by subpath (`@cartback/core/catalog/row`); this index lists
// only what almost every caller needs.
export { CatalogRow, SHOPIFY_CATALOG } from "./catalog/row.ts";
