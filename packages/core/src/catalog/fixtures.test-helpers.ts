import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The shared captures of real Shopify data, beside the repository (never copied into it). */
export const SHOPIFY_FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../../shared/fixtures/shopify",
);

export function fixtureText(relative: string): string {
  return readFileSync(path.join(SHOPIFY_FIXTURES, relative), "utf8");
}

export const BULK_PRODUCTS = "admin-graphql-bulk/gatsby-source-shopify/packages__gatsby-source-shopify____tests____fixtures__bulk-results__products.jsonl";
export const BULK_VARIANTS = "admin-graphql-bulk/gatsby-source-shopify/packages__gatsby-source-shopify____tests____fixtures__bulk-results__variants.jsonl";
export const PRODUCTS_UPDATE_WEBHOOK = "webhooks/shopify-docs-samples-2025-01-via-shopify-webhooks-go/pkg__v2025_01__fixtures__products_update.json";
export const PRODUCTS_CREATE_WEBHOOK = "webhooks/shopify-docs-samples-2025-01-via-shopify-webhooks-go/pkg__v2025_01__fixtures__products_create.json";
export const PRODUCTS_DELETE_WEBHOOK = "webhooks/shopify-docs-samples-2025-01-via-shopify-webhooks-go/pkg__v2025_01__fixtures__products_delete.json";
export const PRODUCTS_2025_EXEMPLAR = "webhooks/gadget-anonymized-real-exemplars/exemplars__2025-04__products__1.json";
