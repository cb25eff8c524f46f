export type CartMutation = "add" | "change" | "update" | "clear";

/**
 * Which Ajax Cart API mutation a request URL is, if any. Themes call `/cart/add.js`,
 * `/cart/add` (plain form action), and the same under a locale root (`/fr/cart/add.js`,
 * `/en-ca/cart/change`); `root` is `Shopify.routes.root`. Other origins are never ours.
 */
export function matchCartMutation(url: string, pageHref: string, root = "/"): CartMutation | null {
  let parsed: URL;
  let page: URL;
  try {
    page = new URL(pageHref);
    parsed = new URL(url, page);
  } catch {
    return null;
  }
  if (parsed.origin !== page.origin) return null;
  let path = parsed.pathname;
  const prefix = root.endsWith("/") ? root : `${root}/`;
  if (prefix !== "/" && path.startsWith(prefix)) path = path.slice(prefix.length - 1);
  else path = path.replace(/^\/[a-z]{2}(?:-[a-z]{2,4})?(?=\/cart\/)/i, "");
  const match = /^\/cart\/(add|change|update|clear)(?:\.js)?\/?$/.exec(path);
  return match ? (match[1] as CartMutation) : null;
}
