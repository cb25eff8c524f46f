import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Click links: `${appUrl}/r/<payload>.<mac>`, payload = base64url(JSON) naming the shop, the
 * send, the target and an expiry. Signed with the installation secret (any process of a
 * scale-out can check it, nobody can make one up), so the target needs no table: a tampered
 * target fails the MAC. The redirect still checks the target is on the shop's own domains.
 */
export const CLICK_LINK_TTL_MS = 60 * 24 * 60 * 60 * 1000;

export type LinkKind = "recovery" | "link";

export interface ClickLink {
  shop: string;
  sendId: string;
  kind: LinkKind;
  url: string;
  /** Epoch milliseconds after which the link is refused. */
  expiresAt: number;
}

function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(`click:${payload}`).digest();
}

export function signClickLink(secret: string, link: ClickLink): string {
  const payload = Buffer.from(JSON.stringify({ s: link.shop, i: link.sendId, k: link.kind, u: link.url, x: link.expiresAt })).toString("base64url");
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

export type VerifiedLink = { type: "ok"; link: ClickLink } | { type: "expired"; link: ClickLink } | { type: "invalid" };

export function verifyClickLink(secret: string, token: string, now: Date): VerifiedLink {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return { type: "invalid" };
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { type: "invalid" };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { type: "invalid" };
  }
  const link = clickLinkOf(raw);
  if (!link) return { type: "invalid" };
  return link.expiresAt < now.getTime() ? { type: "expired", link } : { type: "ok", link };
}

function clickLinkOf(raw: unknown): ClickLink | null {
  if (typeof raw !== "object" || raw === null) return null;
  const { s, i, k, u, x } = raw as Record<string, unknown>;
  if (typeof s !== "string" || typeof i !== "string" || typeof u !== "string" || typeof x !== "number") return null;
  if (k !== "recovery" && k !== "link") return null;
  return { shop: s, sendId: i, kind: k, url: u, expiresAt: x };
}

/**
 * The origins a click may land on: the shop's myshopify domain and its storefront origin
 * (primary domain, or a local demo storefront). Anything else is never a redirect target,
 * so a signed link can never become an open redirect even if a template links elsewhere.
 */
export function shopOrigins(shop: string, storefrontOrigin: string | null | undefined): Set<string> {
  const origins = new Set([`https://${shop.toLowerCase()}`]);
  if (storefrontOrigin) {
    try {
      origins.add(new URL(storefrontOrigin).origin);
    } catch {
      // A malformed stored origin adds nothing: links to it stay untracked.
    }
  }
  return origins;
}

export function isShopUrl(url: string, origins: Set<string>): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "https:" || parsed.protocol === "http:") && origins.has(parsed.origin) && parsed.username === "" && parsed.password === "";
  } catch {
    return false;
  }
}

export function clickUrl(appUrl: string, token: string): string {
  return `${appUrl.replace(/\/$/, "")}/r/${token}`;
}

export interface Tracker {
  appUrl: string;
  secret: string;
  shop: string;
  sendId: string;
  origins: Set<string>;
  expiresAt: number;
}

export function trackedUrl(t: Tracker, url: string, kind: LinkKind): string {
  return clickUrl(t.appUrl, signClickLink(t.secret, { shop: t.shop, sendId: t.sendId, kind, url, expiresAt: t.expiresAt }));
}

const HREF = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2/gis;

/**
 * Rewrites every `<a href>` to the shop's own domains through the click redirect. Links to
 * other hosts (social profiles, the unsubscribe link, mailto:) are left as they are: they
 * are not the shop's pages and must never be reachable through our redirect.
 */
export function rewriteLinks(html: string, t: Tracker, skip: Set<string>): string {
  return html.replace(HREF, (whole, head: string, quote: string, value: string) => {
    const url = decodeEntities(value.trim());
    if (skip.has(url) || !isShopUrl(url, t.origins)) return whole;
    return `${head}${quote}${trackedUrl(t, url, "link")}${quote}`;
  });
}

function decodeEntities(value: string): string {
  return value.replace(/&amp;/g, "&").replace(/&#39;/g, "'").replace(/&quot;/g, '"');
}
