import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Shopify data in the repository: MIT-licensed captures and generated stand-ins (fixtures/shopify/PROVENANCE.md). */
export const SHOPIFY_FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../fixtures/shopify",
);

export function fixtureText(relative: string): string {
  return readFileSync(path.join(SHOPIFY_FIXTURES, relative), "utf8");
}

export const BULK_PRODUCTS = "admin-graphql-bulk/gatsby-source-shopify/packages__gatsby-source-shopify____tests____fixtures__bulk-results__products.jsonl";
export const BULK_VARIANTS = "admin-graphql-bulk/gatsby-source-shopify/packages__gatsby-source-shopify____tests____fixtures__bulk-results__variants.jsonl";
export const PRODUCTS_UPDATE_WEBHOOK = "generated/webhooks/products_update.json";
export const PRODUCTS_CREATE_WEBHOOK = "generated/webhooks/products_create.json";
export const PRODUCTS_DELETE_WEBHOOK = "generated/webhooks/products_delete.json";
export const PRODUCTS_2025_EXEMPLAR = "generated/webhooks/products_update_schema_exemplar.json";
