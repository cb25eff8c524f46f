import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";
import { parseTrustProxy } from "./trust-proxy.ts";

describe("TRUST_PROXY", () => {
  it("trusts no proxy by default: the client is the TCP peer", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(parseTrustProxy("")).toEqual({ type: "ok", value: false });
    expect(parseTrustProxy("false")).toEqual({ type: "ok", value: false });
  });

  it("takes a hop count, or addresses, subnets and Express's names", () => {
    expect(loadConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(parseTrustProxy("loopback, 10.0.0.0/8,2001:db8::/32 ,203.0.113.7")).toEqual({
      type: "ok",
      value: ["loopback", "10.0.0.0/8", "2001:db8::/32", "203.0.113.7"],
    });
  });

  it("refuses true and anything it cannot read, naming the variable", () => {
    for (const value of ["true", "*", "10.0.0.0/33", "proxy.example.com", "1,2"]) {
      expect(parseTrustProxy(value).type).toBe("invalid");
    }
    expect(() => loadConfig({ TRUST_PROXY: "true" })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: "true" })).toThrow(/^TRUST_PROXY: expected a hop count/);
  });
});
