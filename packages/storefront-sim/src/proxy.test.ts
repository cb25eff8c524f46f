import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { proxySignature } from "./proxy.ts";

describe("proxySignature", () => {
  it("signs sorted key=value pairs with no separator, keeping an empty logged_in_customer_id", () => {
    const params = new URLSearchParams("shop=a.myshopify.com&logged_in_customer_id=&path_prefix=%2Fapps%2Fcartback&timestamp=1764150000");
    const message = "logged_in_customer_id=path_prefix=/apps/cartbackshop=a.myshopify.comtimestamp=1764150000";
    expect(proxySignature(params, "secret")).toBe(createHmac("sha256", "secret").update(message).digest("hex"));
  });

  it("joins repeated keys with commas and ignores an existing signature", () => {
    const params = new URLSearchParams("b=2&a=1&a=3&signature=old");
    expect(proxySignature(params, "s")).toBe(createHmac("sha256", "s").update("a=1,3b=2").digest("hex"));
  });

  it("changes when any value changes, so a tampered query fails verification", () => {
    const a = proxySignature(new URLSearchParams("shop=a&logged_in_customer_id=1"), "s");
    const b = proxySignature(new URLSearchParams("shop=a&logged_in_customer_id=2"), "s");
    expect(a).not.toBe(b);
  });
});
