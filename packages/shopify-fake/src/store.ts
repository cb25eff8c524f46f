/** The fake shop's catalog, in the shape Admin GraphQL reports it (ids are digit strings). */
export interface FakeVariant {
  id: string;
  title: string;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number | null;
  availableForSale: boolean;
  imageUrl: string | null;
  updatedAt: string;
}

export interface FakeProduct {
  id: string;
  title: string;
  handle: string;
  vendor: string | null;
  productType: string | null;
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  updatedAt: string;
  onlineStoreUrl: string | null;
  featuredImageUrl: string | null;
  variants: FakeVariant[];
}

export interface FakeShopInfo {
  name: string;
  currencyCode: string;
  ianaTimezone: string;
  moneyFormat: string;
  primaryDomainUrl: string;
  /** The store's public contact email; `store@<shop>` unless given (null: the store has none). */
  contactEmail?: string | null;
  moneyWithCurrencyFormat?: string;
}

/** Counts products and variants without materializing anything else. */
/** A product's own fields as Admin GraphQL returns them (bulk JSONL lines and `products` pages alike). */
export function productFields(p: FakeProduct) {
  return {
    id: `gid://shopify/Product/${p.id}`,
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.productType,
    status: p.status,
    updatedAt: p.updatedAt,
    onlineStoreUrl: p.onlineStoreUrl,
    featuredMedia: p.featuredImageUrl ? { preview: { image: { url: p.featuredImageUrl } } } : null,
  };
}

export function objectCount(products: Iterable<FakeProduct>): number {
  let count = 0;
  for (const product of products) count += 1 + product.variants.length;
  return count;
}

/**
 * A deterministic store of `variantCount` variants (`perProduct` each), for the bench and
 * big-catalog tests. Ids start above 2^53 so that any lossy id handling shows.
 */
export function generateProducts(variantCount: number, perProduct = 5, seed = 1): FakeProduct[] {
  const products: FakeProduct[] = [];
  const base = 9_007_199_254_740_993n + BigInt(seed) * 10_000_000n;
  let made = 0;
  for (let p = 0; made < variantCount; p++) {
    const productId = (base + BigInt(p) * 100n).toString();
    const variants: FakeVariant[] = [];
    const count = Math.min(perProduct, variantCount - made);
    for (let v = 0; v < count; v++) {
      const cents = 500 + ((p * 7919 + v * 104729) % 49_500);
      variants.push({
        id: (base + 50_000_000_000n + BigInt(made)).toString(),
        title: count === 1 ? "Default Title" : `Size ${v + 1}`,
        sku: `SKU-${p}-${v}`,
        price: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`,
        compareAtPrice: v % 3 === 0 ? null : `${Math.floor(cents / 50)}.00`,
        inventoryQuantity: (p + v) % 11,
        availableForSale: (p + v) % 11 !== 0,
        imageUrl: v % 2 === 0 ? null : `https://cdn.shopify.com/s/files/1/fake/products/p${p}-v${v}.jpg`,
        updatedAt: "2026-11-01T10:00:00Z",
      });
      made++;
    }
    products.push({
      id: productId,
      title: `Generated product ${p} — “Ünïcode” & <b>HTML</b>`,
      handle: `generated-product-${p}`,
      vendor: `Vendor ${p % 40}`,
      productType: `Type ${p % 12}`,
      status: "ACTIVE",
      updatedAt: "2026-11-01T09:00:00Z",
      onlineStoreUrl: null,
      featuredImageUrl: p % 5 === 0 ? null : `https://cdn.shopify.com/s/files/1/fake/products/p${p}.jpg`,
      variants,
    });
  }
  return products;
}
