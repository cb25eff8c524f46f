import { clickTargets } from "../../app/server/revenue/testing.ts";

/**
 * The cart an email's recovery link rebuilds (through the click redirect `/r/<token>`, whose
 * signed target is the permalink): Shopify's `/cart/<variant>:<qty>,…` permalink
 * (the first such link in the HTML). Empty when the email has none.
 */
export function recoveryLines(html: string): Map<string, number> {
  const href = clickTargets(html).find((url) => /\/cart\/\d+:\d+/.test(url)) ?? /href="([^"]*\/cart\/\d+:\d+[^"]*)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
  if (!href) return new Map();
  const path = /\/cart\/([\d:,]+)/.exec(new URL(href).pathname)?.[1] ?? "";
  return new Map(path.split(",").map((pair) => pair.split(":") as [string, string]).map(([v, q]) => [v, Number(q)]));
}
