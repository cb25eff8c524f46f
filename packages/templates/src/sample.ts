import type { CatalogRow } from "@cartback/core/catalog/row";
import type { RenderInput, ShopInfo } from "./input.ts";
import { buildRecoveryUrl } from "./recovery-url.ts";

/** Lines in a sample cart: enough to show a list, few enough to read at a glance. */
export const SAMPLE_CART_SIZE = 3;

// No picture: any image here would be someone else's (a previous placeholder hot-linked another
// store's files on Shopify's CDN). Templates and blocks show their "No image" box instead.
function placeholderRow(id: string, name: string, price: number, n: number, currency: string): CatalogRow {
  return {
    Identity: id, Name: name, ImageURL: null, Price: price, CompareAtPrice: null, Currency: currency, ProductURL: null,
    SKU: `SAMPLE-${n}`, Available: true, InventoryQuantity: null, Vendor: "Sample", ProductType: null, Handle: null,
    ProductId: null, Status: "active", UpdatedAt: null,
  };
}

const placeholderRows = (currency: string): CatalogRow[] => [
  placeholderRow("40000000000001", "Sample T-shirt - Medium / Blue", 2500, 1, currency),
  placeholderRow("40000000000002", "Sample Hoodie - Large", 6400, 2, currency),
  placeholderRow("40000000000003", "Sample Cap", 1800, 3, currency),
];

/**
 * Up to SAMPLE_CART_SIZE of the shop's own rows for a sample cart: priced in the shop's currency
 * (a price in another would be shown in the wrong one), available ones first, one variant per
 * product before a second of any. Empty when none qualifies.
 */
export function pickSampleRows(rows: readonly CatalogRow[], currency: string): CatalogRow[] {
  const priced = rows.filter((row) => row.Price !== null && row.Currency === currency);
  const ordered = [...priced.filter((row) => row.Available), ...priced.filter((row) => !row.Available)];
  const seen = new Set<string>();
  const firsts: CatalogRow[] = [];
  const rest: CatalogRow[] = [];
  for (const row of ordered) {
    const product = row.ProductId ?? row.Identity;
    (seen.has(product) ? rest : firsts).push(row);
    seen.add(product);
  }
  return [...firsts, ...rest].slice(0, SAMPLE_CART_SIZE);
}

export type SampleOptions = {
  shop?: Partial<ShopInfo>;
  firstName?: string | null;
  email?: string;
  /** The shop's catalog rows to pick the sample cart from (see pickSampleRows); made-up imageless rows without. */
  products?: readonly CatalogRow[];
};

/**
 * A sample cart for previews and test sends before a real profile is chosen: a few of the shop's
 * own products when given, else three made-up lines without pictures, priced in the shop's currency.
 */
export function sampleRenderInput(options: SampleOptions = {}): RenderInput {
  const shop: ShopInfo = {
    name: "Sample Store",
    domain: "sample-store.myshopify.com",
    money_format: "${{amount}}",
    currency: "USD",
    ...options.shop,
  };
  const own = pickSampleRows(options.products ?? [], shop.currency);
  const rows = own.length > 0 ? own : placeholderRows(shop.currency);
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
