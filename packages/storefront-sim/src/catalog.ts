import { readFileSync } from "node:fs";

/** A storefront catalog read from a `/products.json` capture (path given at start, never bundled). */
export interface SimVariant {
  id: string;
  productId: string;
  title: string;
  sku: string | null;
  /** Minor units. */
  price: number;
  available: boolean;
  options: string[];
}

export interface SimProduct {
  id: string;
  handle: string;
  title: string;
  vendor: string;
  productType: string;
  description: string;
  image: string | null;
  variants: SimVariant[];
}

export interface Catalog {
  products: SimProduct[];
  byHandle: Map<string, SimProduct>;
  variants: Map<string, { product: SimProduct; variant: SimVariant }>;
}

type Json = Record<string, unknown>;

/** "5499.00" → 549900; products.json prices are decimal strings in major units. */
export function decimalToMinor(price: unknown, exponent = 2): number {
  const text = String(price ?? "0");
  const [whole = "0", fraction = ""] = text.split(".");
  return Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, "0").slice(0, exponent) || "0");
}

export function loadCatalog(file: string): Catalog {
  const raw = JSON.parse(readFileSync(file, "utf8")) as { products?: Json[] } | Json[];
  const list = Array.isArray(raw) ? raw : (raw.products ?? []);
  const products = list.map(toProduct).filter((p): p is SimProduct => p !== null);
  const byHandle = new Map(products.map((p) => [p.handle, p]));
  const variants = new Map<string, { product: SimProduct; variant: SimVariant }>();
  for (const product of products) for (const variant of product.variants) variants.set(variant.id, { product, variant });
  return { products, byHandle, variants };
}

function toProduct(p: Json): SimProduct | null {
  if (typeof p.handle !== "string" || !Array.isArray(p.variants)) return null;
  const images = Array.isArray(p.images) ? (p.images as Json[]) : [];
  const productId = String(p.id);
  return {
    id: productId,
    handle: p.handle,
    title: String(p.title ?? p.handle),
    vendor: String(p.vendor ?? ""),
    productType: String(p.product_type ?? ""),
    description: String(p.body_html ?? "").replace(/<[^>]+>/g, " ").slice(0, 400),
    image: typeof images[0]?.src === "string" ? (images[0].src as string) : null,
    variants: (p.variants as Json[]).map((v) => ({
      id: String(v.id),
      productId,
      title: String(v.title ?? "Default Title"),
      sku: typeof v.sku === "string" && v.sku !== "" ? v.sku : null,
      price: decimalToMinor(v.price),
      available: v.available !== false,
      options: [v.option1, v.option2, v.option3].filter((o): o is string => typeof o === "string"),
    })),
  };
}
