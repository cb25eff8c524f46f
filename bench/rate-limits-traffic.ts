// The traffic of \`npm run bench:rate-limits\` (seeded sale-day sessions and floods) and its replay
// through the real limiter on a simulated clock; app/server/rate-limit.sizing.test.ts holds the
// sizing claims on it.
import { type Limit, RateLimiter } from "../app/server/rate-limit.ts";

export interface Request { at: number; client: string }
export interface Scenario { name: string; what: string; requests: Request[] }

/** A seeded PRNG (mulberry32): the same traffic every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One shopper's session: `events` storefront events, a few seconds apart (exponential gaps,
 * mean `gapMs`), with a burst of adds within one second (a shopper tapping "add" on several
 * products) in the middle.
 */
function session(rand: () => number, client: string, start: number, events: number, gapMs: number): Request[] {
  const out: Request[] = [];
  let at = start;
  for (let i = 0; i < events; i++) {
    const burst = i > events / 2 && i < events / 2 + 5;
    at += burst ? rand() * 200 : -Math.log(1 - rand()) * gapMs;
    out.push({ at, client });
  }
  return out;
}

/**
 * A sale-day hour compressed into `seconds`: `shoppers` sessions starting uniformly, most from
 * their own address, `natShare` of them behind shared addresses (mobile carrier NAT, offices)
 * of `natSize` shoppers each.
 */
export function saleDay(o: { seed: number; shoppers: number; seconds: number; natShare: number; natSize: number }): Request[] {
  const rand = random(o.seed);
  const requests: Request[] = [];
  const natted = Math.round(o.shoppers * o.natShare);
  for (let s = 0; s < o.shoppers; s++) {
    const client = s < natted ? `nat-${Math.floor(s / o.natSize)}` : `shopper-${s}`;
    const events = 5 + Math.floor(rand() * 26);
    requests.push(...session(rand, client, rand() * o.seconds * 1000, events, 4_000));
  }
  return requests.sort((a, b) => a.at - b.at);
}

/** Scripts posting `perSecond` requests in all, spread over `addresses` addresses, for `seconds`. */
export function flood(perSecond: number, seconds: number, addresses = 1): Request[] {
  return Array.from({ length: perSecond * seconds }, (_, i) => ({ at: (i * 1000) / perSecond, client: `attacker-${i % addresses}` }));
}

export interface Outcome { requests: number; peakPerSecond: number; refusedClient: number; refusedShop: number; refusedShoppers: number }

/** Runs the traffic through a fresh pair of limiters, as /collect does (client, then shop). */
export function replay(requests: Request[], client: Limit, shop: Limit): Outcome {
  let now = 0;
  const byClient = new RateLimiter(client, () => now);
  const byShop = new RateLimiter(shop, () => now);
  const perSecond = new Map<number, number>();
  const refusedClients = new Set<string>();
  let refusedClient = 0;
  let refusedShop = 0;
  for (const r of requests) {
    now = r.at;
    const second = Math.floor(r.at / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    if (byClient.take(r.client) > 0) {
      refusedClient++;
      refusedClients.add(r.client);
    } else if (byShop.take("shop") > 0) {
      refusedShop++;
      refusedClients.add(r.client);
    }
  }
  return { requests: requests.length, peakPerSecond: Math.max(...perSecond.values()), refusedClient, refusedShop, refusedShoppers: refusedClients.size };
}
