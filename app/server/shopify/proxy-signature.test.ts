import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { proxyMessage, signProxyQuery, verifyProxyRequest } from "./proxy-signature.ts";

const SECRET = "hush";
const now = 1_700_000_000;

function url(params: URLSearchParams): URL {
  return new URL(`https://app.example.com/proxy/events?${params}`);
}

describe("app proxy signature", () => {
  it("matches Shopify's documented algorithm, keeping the guest's empty logged_in_customer_id", () => {
    const params = new URLSearchParams({ shop: "demo.myshopify.com", logged_in_customer_id: "", path_prefix: "/apps/cartback", timestamp: String(now) });
    const message = "logged_in_customer_id=path_prefix=/apps/cartbackshop=demo.myshopify.comtimestamp=1700000000";
    expect(proxyMessage(params)).toBe(message);
    const signed = signProxyQuery(params, SECRET);
    expect(signed.get("signature")).toBe(createHmac("sha256", SECRET).update(message).digest("hex"));
    expect(verifyProxyRequest(url(signed), SECRET, now)).toEqual({ type: "ok", shop: "demo.myshopify.com", customerId: null });
  });

  it("joins repeated keys with commas and trusts the logged-in customer id", () => {
    const params = new URLSearchParams([["shop", "demo.myshopify.com"], ["logged_in_customer_id", "603851970716743426"], ["timestamp", String(now)], ["x", "1"], ["x", "2"]]);
    expect(proxyMessage(params)).toContain("x=1,2");
    expect(verifyProxyRequest(url(signProxyQuery(params, SECRET)), SECRET, now)).toMatchObject({ customerId: "603851970716743426" });
  });

  it("rejects a tampered query, a wrong secret and a stale timestamp", () => {
    const signed = signProxyQuery({ shop: "demo.myshopify.com", logged_in_customer_id: "", timestamp: String(now) }, SECRET);
    const tampered = new URLSearchParams(signed);
    tampered.set("logged_in_customer_id", "42");
    expect(verifyProxyRequest(url(tampered), SECRET, now).type).toBe("unauthorized");
    expect(verifyProxyRequest(url(signed), "other", now).type).toBe("unauthorized");
    expect(verifyProxyRequest(url(signed), SECRET, now + 3600).type).toBe("unauthorized");
    const dropped = new URLSearchParams(signed);
    dropped.delete("logged_in_customer_id");
    expect(verifyProxyRequest(url(dropped), SECRET, now).type).toBe("unauthorized");
  });
});
