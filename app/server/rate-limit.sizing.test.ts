import { describe, expect, it } from "vitest";
import { flood, replay, saleDay } from "../../bench/rate-limits-traffic.ts";
import { LIMITS } from "./rate-limit.ts";

// The sizing the README states, on the same seeded traffic as `npm run bench:rate-limits`.
describe("the shipped rate limits", () => {
  it("refuse nothing of a sale-day launch minute, shoppers behind shared addresses included", () => {
    const launch = saleDay({ seed: 7, shoppers: 20_000, seconds: 60, natShare: 0.05, natSize: 50 });
    const outcome = replay(launch, LIMITS.client, LIMITS.shopBrowser);
    expect(outcome.peakPerSecond).toBeGreaterThan(4_000);
    expect(outcome).toMatchObject({ refusedClient: 0, refusedShop: 0 });
  });

  it("cut a flood from one address to the client rate, and one spread over many addresses to the shop rate", () => {
    const one = replay(flood(1_000, 60), LIMITS.client, LIMITS.shopBrowser);
    const allowed = one.requests - one.refusedClient;
    expect(allowed).toBeGreaterThan(LIMITS.client.burst + LIMITS.client.rate * 59);
    expect(allowed).toBeLessThanOrEqual(LIMITS.client.burst + LIMITS.client.rate * 60);
    const many = replay(flood(50_000, 20, 10_000), LIMITS.client, LIMITS.shopBrowser);
    expect(many.requests - many.refusedShop).toBeLessThanOrEqual(LIMITS.shopBrowser.burst + LIMITS.shopBrowser.rate * 20);
    expect(many.refusedShop).toBeGreaterThan(0);
  });
});
