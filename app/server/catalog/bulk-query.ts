/**
 * The Admin GraphQL Cartback sends for Catalog Sync. The bulk query selects only the
 * columns a catalog row needs; the result arrives as JSONL with variants as their own lines.
 */
export const PRODUCTS_BULK_QUERY = `{
  products {
    edges {
      node {
        id title handle vendor productType status updatedAt onlineStoreUrl
        featuredMedia { preview { image { url } } }
        variants {
          edges {
            node { id title sku price compareAtPrice inventoryQuantity availableForSale inventoryPolicy updatedAt image { url } }
          }
        }
      }
    }
  }
}`;

export const RUN_BULK_QUERY = `mutation RunCatalogBulk($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

export const BULK_OPERATION_STATUS = `query CatalogBulkStatus($id: ID!) {
  node(id: $id) {
    ... on BulkOperation { id status errorCode objectCount url partialDataUrl completedAt }
  }
}`;

export const SHOP_FACTS = `query CatalogShopFacts { shop { currencyCode primaryDomain { url } } }`;

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";

export interface BulkOperationNode {
  id: string;
  status: BulkStatus;
  errorCode: string | null;
  objectCount: string | null;
  url: string | null;
  partialDataUrl: string | null;
}

export interface RunBulkData {
  bulkOperationRunQuery: {
    bulkOperation: { id: string; status: BulkStatus } | null;
    userErrors: Array<{ field: string[] | null; message: string; code?: string | null }>;
  };
}

export interface BulkStatusData {
  node: BulkOperationNode | null;
}

export interface ShopFactsData {
  shop: { currencyCode: string; primaryDomain: { url: string } | null };
}
