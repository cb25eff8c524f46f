/**
 * The cart an email's recovery link rebuilds: Shopify's `/cart/<variant>:<qty>,…` permalink
 * (the first such link in the HTML). Empty when the email has none.
 */
export function recoveryLines(html: string): Map<string, number> {
  const href = /href="([^"]*\/cart\/\d+:\d+[^"]*)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
  if (!href) return new Map();
  const path = /\/cart\/([\d:,]+)/.exec(new URL(href).pathname)?.[1] ?? "";
  return new Map(path.split(",").map((pair) => pair.split(":") as [string, string]).map(([v, q]) => [v, Number(q)]));
}
