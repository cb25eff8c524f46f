/**
 * The demo shop's catalog, generated (no captured store data is shipped): a storefront
 * `/products.json` in Shopify's shape, deterministic, with decimal prices like "29.00",
 * several multi-variant products, and images that the storefront simulator draws itself.
 */
export interface DemoProductSpec {
  title: string;
  vendor: string;
  productType: string;
  /** Major units as Shopify writes them: "29.00". */
  price: string;
  compareAt?: string;
  colour: string;
  option?: { name: string; values: string[]; surcharge?: string[] };
  soldOut?: string[];
}

export const DEMO_PRODUCTS: DemoProductSpec[] = [
  { title: "Linen Shirt", vendor: "Harbour & Pine", productType: "Shirts", price: "29.00", compareAt: "39.00", colour: "#7aa6c2", option: { name: "Size", values: ["S", "M", "L"] } },
  { title: "Canvas Tote", vendor: "Harbour & Pine", productType: "Bags", price: "19.00", colour: "#c9b38c" },
  { title: "Merino Beanie", vendor: "North Loom", productType: "Hats", price: "24.00", colour: "#8c5a7a", option: { name: "Colour", values: ["Plum", "Charcoal"] } },
  { title: "Trail Socks", vendor: "North Loom", productType: "Socks", price: "9.50", colour: "#5f8f5a", option: { name: "Size", values: ["36-40", "41-46"] } },
  { title: "Ceramic Mug", vendor: "Kiln Works", productType: "Kitchen", price: "14.00", colour: "#d98f5c" },
  { title: "Denim Jacket", vendor: "Harbour & Pine", productType: "Jackets", price: "89.00", colour: "#3f5f8f", option: { name: "Size", values: ["S", "M", "L", "XL"], surcharge: ["0.00", "0.00", "0.00", "5.00"] }, soldOut: ["XL"] },
  { title: "Leather Wallet", vendor: "Saddle Co.", productType: "Accessories", price: "45.00", colour: "#8a5a3c" },
  { title: "Rain Poncho", vendor: "North Loom", productType: "Jackets", price: "35.00", colour: "#e0c341", option: { name: "Colour", values: ["Yellow", "Navy", "Olive"] } },
  { title: "Notebook Set", vendor: "Paper Mill", productType: "Stationery", price: "12.00", colour: "#b7c4cf" },
  { title: "Espresso Beans 1 kg", vendor: "Kiln Works", productType: "Coffee", price: "24.90", colour: "#5a3d2b", option: { name: "Grind", values: ["Whole bean", "Espresso", "Filter"] } },
];

const PRODUCT_ID_BASE = 8_100_000_000_000;
const VARIANT_ID_BASE = 46_100_000_000_000;
const IMAGE_ID_BASE = 37_100_000_000_000;
const STAMP = "2026-01-05T09:00:00-05:00";

export function handleFor(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function addDecimal(a: string, b: string): string {
  const minor = Math.round(Number(a) * 100) + Math.round(Number(b) * 100);
  return (minor / 100).toFixed(2);
}

/** `imageBase` ends in "/"; each product's image is `<imageBase><handle><imageSuffix>`. */
export function demoProductsJson(imageBase: string, specs: DemoProductSpec[] = DEMO_PRODUCTS, imageSuffix = ".svg"): { products: Record<string, unknown>[] } {
  const products = specs.map((spec, p) => {
    const id = PRODUCT_ID_BASE + p * 17;
    const handle = handleFor(spec.title);
    const values = spec.option?.values ?? ["Default Title"];
    const image = { id: IMAGE_ID_BASE + p, created_at: STAMP, position: 1, updated_at: STAMP, product_id: id, variant_ids: [] as number[], src: `${imageBase}${handle}${imageSuffix}`, width: 800, height: 800 };
    const variants = values.map((value, v) => ({
      id: VARIANT_ID_BASE + p * 100 + v,
      title: value,
      option1: value,
      option2: null,
      option3: null,
      sku: spec.option ? `${handle}-${handleFor(value)}`.toUpperCase() : handle.toUpperCase(),
      requires_shipping: true,
      taxable: true,
      featured_image: null,
      available: !(spec.soldOut ?? []).includes(value),
      price: addDecimal(spec.price, spec.option?.surcharge?.[v] ?? "0"),
      grams: 250 + 50 * v,
      compare_at_price: spec.compareAt ?? null,
      position: v + 1,
      product_id: id,
      created_at: STAMP,
      updated_at: STAMP,
    }));
    return {
      id,
      title: spec.title,
      handle,
      body_html: `<p>${spec.title} by ${spec.vendor}. A generated demo product.</p>`,
      published_at: STAMP,
      created_at: STAMP,
      updated_at: STAMP,
      vendor: spec.vendor,
      product_type: spec.productType,
      tags: [spec.productType.toLowerCase(), "demo"],
      variants,
      images: [image],
      options: [{ name: spec.option?.name ?? "Title", position: 1, values }],
    };
  });
  return { products };
}

const escapeXml = (text: string): string => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** A flat product picture: the product's colour and its name. Served as image/svg+xml. */
export function productImageSvg(title: string, colour: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800">
<rect width="800" height="800" fill="#f4f1ec"/><rect x="120" y="120" width="560" height="460" rx="40" fill="${colour}"/>
<text x="400" y="690" font-family="Helvetica, Arial, sans-serif" font-size="56" text-anchor="middle" fill="#2b2b2b">${escapeXml(title)}</text>
</svg>`;
}
