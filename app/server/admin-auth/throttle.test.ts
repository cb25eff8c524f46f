import { describe, expect, it } from "vitest";
import { clientKey, DEFAULT_THROTTLE_POLICY, LoginThrottle } from "./throttle.ts";

const failTimes = (throttle: LoginThrottle, client: string, times: number, now: number) => {
  for (let i = 0; i < times; i++) throttle.fail("admin", client, now);
};

describe("login throttle", () => {
  it("gives a client five free failures, then doubles its wait up to 15 minutes", () => {
    const throttle = new LoginThrottle();
    failTimes(throttle, "203.0.113.5", 4, 0);
    expect(throttle.check("203.0.113.5", 0)).toEqual({ type: "allowed" });
    throttle.fail("admin", "203.0.113.5", 0);
    expect(throttle.check("203.0.113.5", 0)).toEqual({ type: "wait", retryAfterMs: 1_000 });
    expect(throttle.check("203.0.113.5", 1_000)).toEqual({ type: "allowed" });
    throttle.fail("admin", "203.0.113.5", 1_000);
    expect(throttle.check("203.0.113.5", 1_000)).toEqual({ type: "wait", retryAfterMs: 2_000 });
    failTimes(throttle, "203.0.113.5", 40, 3_000);
    expect(throttle.check("203.0.113.5", 3_000)).toEqual({ type: "wait", retryAfterMs: 15 * 60_000 });
  });

  it("never refuses a client that has not failed, even while the account is attacked", () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 200; i++) throttle.fail("admin", `198.51.100.${i % 250}`, 0);
    expect(throttle.check("192.0.2.1", 0)).toEqual({ type: "allowed" });
    // Under attack a client's backoff starts at its first failure, not its sixth.
    throttle.fail("admin", "192.0.2.1", 0);
    expect(throttle.check("192.0.2.1", 0).type).toBe("wait");
  });

  it("forgets a client after a success, or a day without failures", () => {
    const throttle = new LoginThrottle();
    failTimes(throttle, "203.0.113.5", 6, 0);
    throttle.succeed("203.0.113.5");
    expect(throttle.check("203.0.113.5", 0)).toEqual({ type: "allowed" });
    failTimes(throttle, "203.0.113.6", 7, 0);
    const later = DEFAULT_THROTTLE_POLICY.forgetAfterMs + 1;
    expect(throttle.check("203.0.113.6", later)).toEqual({ type: "allowed" });
    throttle.fail("admin", "203.0.113.6", later);
    expect(throttle.check("203.0.113.6", later)).toEqual({ type: "allowed" });
  });

  it("keys IPv6 clients by their /64 and IPv4-mapped addresses as IPv4", () => {
    expect(clientKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:0db8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("::ffff:203.0.113.5")).toBe("203.0.113.5");
    const throttle = new LoginThrottle();
    for (let i = 0; i < 6; i++) throttle.fail("admin", `2001:db8:1:2::${i + 1}`, 0);
    expect(throttle.check("2001:db8:1:2::99", 0).type).toBe("wait");
  });
});
