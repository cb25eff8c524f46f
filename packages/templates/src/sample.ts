import type { CatalogRow } from "@cartback/core/catalog/row";
import type { RenderInput, ShopInfo } from "./input.ts";
import { buildRecoveryUrl } from "./recovery-url.ts";

// Shopify's own product placeholder artwork, so previews show pictures before a catalog syncs.
const PLACEHOLDER = (n: number) =>
  `https://cdn.shopify.com/s/files/1/0533/2089/files/placeholder-images-product-${n}_large.png`;

function sampleRow(id: string, name: string, price: number, n: number): CatalogRow {
  return {
    Identity: id,
    Name: name,
    ImageURL: PLACEHOLDER(n),
    Price: price,
    CompareAtPrice: null,
    Currency: "USD",
    ProductURL: null,
    SKU: `SAMPLE-${n}`,
    Available: true,
    InventoryQuantity: null,
    Vendor: "Sample",
    ProductType: null,
    Handle: null,
    ProductId: null,
    Status: "active",
    UpdatedAt: null,
  };
}

const SAMPLE_ROWS: CatalogRow[] = [
  sampleRow("40000000000001", "Sample T-shirt - Medium / Blue", 2500, 1),
  sampleRow("40000000000002", "Sample Hoodie - Large", 6400, 2),
  sampleRow("40000000000003", "Sample Cap", 1800, 3),
];

export type SampleOptions = { shop?: Partial<ShopInfo>; firstName?: string | null; email?: string };

/**
 * A made-up three-line cart for previews and test sends before a real profile is chosen.
 * Prices are taken as the shop's currency so previews show the merchant's own format.
 */
export function sampleRenderInput(options: SampleOptions = {}): RenderInput {
  const shop: ShopInfo = {
    name: "Sample Store",
    domain: "sample-store.myshopify.com",
    money_format: "${{amount}}",
    currency: "USD",
    ...options.shop,
  };
  const rows = SAMPLE_ROWS.map((row) => ({ ...row, Currency: shop.currency }));
  const lines = rows.map((row, i) => ({ variantId: row.Identity, quantity: i === 0 ? 2 : 1, unitPrice: row.Price ?? 0, currency: shop.currency }));
  const recovery = buildRecoveryUrl({ shopDomain: shop.domain, lines, utm: { source: "cartback", medium: "email", campaign: "preview" } });
  return {
    profile: { shopify_cart_ids: rows.map((row) => row.Identity) },
    customer: { first_name: options.firstName === undefined ? "Alex" : options.firstName, last_name: "Sample", email: options.email ?? "alex@example.com" },
    lines,
    catalogRows: rows,
    mapping: { property: "shopify_cart_ids", catalog: "shopify-catalog" },
    shop,
    recovery_url: recovery.type === "ok" ? recovery.url : `https://${shop.domain}/cart`,
    unsubscribe_url: `https://${shop.domain}/apps/cartback/unsubscribe?preview=1`,
    discount_code: null,
    discount_description: null,
    mode: "test",
  };
}
