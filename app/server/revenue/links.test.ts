import { describe, expect, it } from "vitest";
import { type Tracker, rewriteLinks, shopOrigins, signClickLink, verifyClickLink } from "./links.ts";

const secret = "test-secret";
const now = new Date("2026-12-01T10:00:00Z");
const link = { shop: "shop.myshopify.com", sendId: "send-1", kind: "recovery" as const, url: "https://shop.myshopify.com/cart/11:2,12:1?storefront=true", expiresAt: now.getTime() + 1000 };

describe("click links", () => {
  it("verifies a link it signed and gives back its target", () => {
    expect(verifyClickLink(secret, signClickLink(secret, link), now)).toEqual({ type: "ok", link });
  });

  it("refuses a link whose target or signature was altered, or signed with another secret", () => {
    const token = signClickLink(secret, link);
    const [payload, mac] = token.split(".") as [string, string];
    const evil = Buffer.from(JSON.stringify({ s: link.shop, i: "send-1", k: "recovery", u: "https://evil.example/", x: link.expiresAt })).toString("base64url");
    expect(verifyClickLink(secret, `${evil}.${mac}`, now)).toEqual({ type: "invalid" });
    expect(verifyClickLink(secret, `${payload}.${mac.slice(0, -2)}AA`, now)).toEqual({ type: "invalid" });
    expect(verifyClickLink("other-secret", token, now)).toEqual({ type: "invalid" });
    expect(verifyClickLink(secret, "not-a-token", now)).toEqual({ type: "invalid" });
    expect(verifyClickLink(secret, `${token}.x`, now)).toEqual({ type: "invalid" });
  });

  it("tells an expired link from a forged one", () => {
    const token = signClickLink(secret, link);
    expect(verifyClickLink(secret, token, new Date(link.expiresAt + 1)).type).toBe("expired");
  });
});

describe("rewriteLinks", () => {
  const tracker: Tracker = {
    appUrl: "https://app.test",
    secret,
    shop: "shop.myshopify.com",
    sendId: "send-1",
    origins: shopOrigins("shop.myshopify.com", "https://www.shop.example"),
    expiresAt: now.getTime() + 1000,
  };

  it("tracks links to the shop's domains and leaves other hosts, mailto and skipped links alone", () => {
    const html = [
      '<a href="https://www.shop.example/products/hat?a=1&amp;b=2">Hat</a>',
      "<a class='x' href='https://shop.myshopify.com/'>Home</a>",
      '<a href="https://instagram.com/shop">Insta</a>',
      '<a href="mailto:help@shop.example">Mail</a>',
      '<a href="https://app.test/unsubscribe?t=1">Unsubscribe</a>',
      '<a href="https://www.shop.example.evil.com/">Lookalike</a>',
    ].join("\n");
    const out = rewriteLinks(html, tracker, new Set()).split("\n");
    const target = (line: string) => {
      const token = /\/r\/([^"']+)/.exec(line)![1]!;
      const v = verifyClickLink(secret, token, now);
      return v.type === "ok" ? v.link : null;
    };
    expect(target(out[0]!)).toMatchObject({ url: "https://www.shop.example/products/hat?a=1&b=2", kind: "link", sendId: "send-1" });
    expect(out[1]).toMatch(/^<a class='x' href='https:\/\/app\.test\/r\//);
    expect(target(out[1]!)?.url).toBe("https://shop.myshopify.com/");
    expect(out.slice(2)).toEqual(html.split("\n").slice(2));
  });
});
