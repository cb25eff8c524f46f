import { writeFileSync } from "node:fs";
import type { FakeProduct } from "@cartback/shopify-fake";

/**
 * The shop's products, made up here (no captured data): the Admin API fake serves them to
 * Catalog Sync, and the storefront simulator sells the same ids from a products.json file.
 * Ids are as long as Shopify's; every variant has its own image and a price a test can spot.
 */
export interface E2eVariant {
  id: string;
  productTitle: string;
  price: string;
  imageUrl: string;
}

const PRODUCTS: Array<{ title: string; handle: string; prices: string[] }> = [
  { title: "Alpine Wool Beanie", handle: "alpine-wool-beanie", prices: ["29.00"] },
  { title: "Harbor Canvas Tote", handle: "harbor-canvas-tote", prices: ["41.50"] },
  { title: "Cedar Trail Socks", handle: "cedar-trail-socks", prices: ["12.25", "13.75"] },
  { title: "Lantern Ceramic Mug", handle: "lantern-ceramic-mug", prices: ["18.90"] },
  { title: "Juniper Rain Jacket", handle: "juniper-rain-jacket", prices: ["137.00"] },
];

const PRODUCT_BASE = 7_412_300_000_000;
const VARIANT_BASE = 44_120_500_000_000;

export function e2eProducts(): FakeProduct[] {
  return PRODUCTS.map((p, i) => ({
    id: String(PRODUCT_BASE + i),
    title: p.title,
    handle: p.handle,
    vendor: "Cartback E2E",
    productType: "Test",
    status: "ACTIVE",
    updatedAt: "2026-11-01T09:00:00Z",
    onlineStoreUrl: null,
    featuredImageUrl: `https://cdn.shopify.com/s/files/1/e2e/products/${p.handle}.jpg`,
    variants: p.prices.map((price, v) => ({
      id: String(VARIANT_BASE + i * 10 + v),
      title: p.prices.length === 1 ? "Default Title" : `Size ${v + 1}`,
      sku: `E2E-${i}-${v}`,
      price,
      compareAtPrice: null,
      inventoryQuantity: 50,
      availableForSale: true,
      imageUrl: `https://cdn.shopify.com/s/files/1/e2e/products/${p.handle}-${v + 1}.jpg`,
      updatedAt: "2026-11-01T09:00:00Z",
    })),
  }));
}

export function e2eVariants(products = e2eProducts()): E2eVariant[] {
  return products.flatMap((p) => p.variants.map((v) => ({ id: v.id, productTitle: p.title, price: v.price, imageUrl: v.imageUrl! })));
}

/** The same products as a storefront `/products.json` file, for the storefront simulator. */
export function writeStorefrontProducts(file: string, products = e2eProducts()): void {
  const json = products.map((p) => ({
    id: Number(p.id),
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    product_type: p.productType,
    body_html: `<p>${p.title}</p>`,
    images: [{ src: p.featuredImageUrl }],
    variants: p.variants.map((v) => ({ id: Number(v.id), title: v.title, price: v.price, sku: v.sku, available: true, option1: v.title })),
  }));
  writeFileSync(file, JSON.stringify({ products: json }));
}
