/**
 * Image sizing for Shopify CDN URLs, so an email asks for a thumbnail instead of a 4000 px
 * original. Other hosts are returned untouched: we cannot know how they resize.
 */

const SHOPIFY_CDN = /^(https?:)?\/\/(cdn\.shopify\.com|[^/]+\.myshopify\.com\/cdn)\//i;
const NAMED_SIZES: Record<string, string> = {
  pico: "16x16",
  icon: "32x32",
  thumb: "50x50",
  small: "100x100",
  compact: "160x160",
  medium: "240x240",
  large: "480x480",
  grande: "600x600",
  "1024x1024": "1024x1024",
  "2048x2048": "2048x2048",
};
const SIZE = /^(\d{1,4})?x(\d{1,4})?$/;

function isShopifyCdn(url: string): boolean {
  return SHOPIFY_CDN.test(url);
}

/** Legacy `img_url: '200x'`: the size goes before the extension (`shirt_200x.jpg?v=1`). */
export function imgUrl(input: unknown, size: unknown = "small"): string | null {
  if (typeof input !== "string" || input === "") return null;
  const wanted = typeof size === "string" ? (NAMED_SIZES[size] ?? size) : "";
  if (!isShopifyCdn(input) || size === "master" || !SIZE.test(wanted)) return input;
  const [path = "", query] = input.split("?", 2);
  const sized = path.replace(/(_\d*x\d*)?(\.[a-z0-9]+)$/i, `_${wanted}$2`);
  if (sized === path) return input;
  return query === undefined ? sized : `${sized}?${query}`;
}

/** Current `image_url: width: 200`: the CDN resizes from query parameters. */
export function imageUrl(input: unknown, ...args: unknown[]): string | null {
  if (typeof input !== "string" || input === "") return null;
  if (!isShopifyCdn(input)) return input;
  const url = new URL(input.startsWith("//") ? `https:${input}` : input);
  for (const arg of args) {
    if (!Array.isArray(arg) || arg.length !== 2) continue;
    const [name, value] = arg as [unknown, unknown];
    if ((name === "width" || name === "height") && Number.isInteger(Number(value)) && Number(value) > 0) {
      url.searchParams.set(name, String(Math.min(Number(value), 5760)));
    }
  }
  const out = url.toString();
  return input.startsWith("//") ? out.slice("https:".length) : out;
}
