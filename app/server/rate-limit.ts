/**
 * Not limited here, on purpose: the app proxy per client (every shopper arrives from Shopify's
 * proxy servers, so an address is many shoppers: it has the shop limit only), webhooks (signed,
 * Shopify paces them), and one-click unsubscribes (mailbox providers post them from a few
 * servers for many people, and refusing one would keep mailing someone who asked us to stop).
 *
 * Token buckets for the public endpoints, per process: a client (browser, script) or a whole
 * shop past its rate gets 429 with Retry-After, which the SDK and the pixel honour.
 *
 * Sized so that a busy shop on a sale day is never refused (README "Rate limits"): a shopper
 * produces an event every few seconds at most, so 20 requests/s per client with a burst of 100
 * never touches a real browser. The shop limit, 10,000 requests/s per shop per process, is far
 * above what one process ingests from /collect (bench:ingest, ~1,000 single events/s on this
 * machine kind): fairness between shops comes from the per-shop ingest queue, so this limit only
 * bounds a many-address flood, and a launch minute of 20,000 shoppers (~4,800 requests/s at
 * its peak) is never refused (bench:rate-limits; it was 2,000/s, which refused a third of it).
 */
export interface Limit {
  /** Sustained requests per second. */
  rate: number;
  /** Requests allowed at once, above the rate. */
  burst: number;
}

export const LIMITS = {
  client: { rate: 20, burst: 100 },
  shopBrowser: { rate: 10_000, burst: 30_000 },
  /** The events API: each request up to 500 events, so 50/s is 25,000 events/s. */
  apiKey: { rate: 50, burst: 200 },
} as const satisfies Record<string, Limit>;

/** Keys remembered per limiter; the least recently used go first (a flood of addresses cannot grow memory). */
const MAX_KEYS = 50_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: Limit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token for `key`: 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    if (this.limit.rate === Number.POSITIVE_INFINITY) return 0;
    const now = this.now();
    const bucket = this.buckets.get(key);
    let tokens = this.limit.burst;
    if (bucket) {
      tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.rate);
      this.buckets.delete(key);
    } else if (this.buckets.size >= MAX_KEYS) {
      this.buckets.delete(this.buckets.keys().next().value as string);
    }
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return Math.max(1, Math.ceil((1 - tokens) / this.limit.rate));
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return 0;
  }
}

/** One set of limiters per process (created with the runtime). */
export interface RateLimits {
  client: RateLimiter;
  shopBrowser: RateLimiter;
  apiKey: RateLimiter;
}

const UNLIMITED: Limit = { rate: Number.POSITIVE_INFINITY, burst: Number.POSITIVE_INFINITY };

/** `enabled: false` (CARTBACK_RATE_LIMITS=off) is for load tests that send from one address. */
export function createRateLimits(options: { enabled?: boolean; now?: () => number } = {}): RateLimits {
  const limit = (l: Limit) => new RateLimiter(options.enabled === false ? UNLIMITED : l, options.now);
  return { client: limit(LIMITS.client), shopBrowser: limit(LIMITS.shopBrowser), apiKey: limit(LIMITS.apiKey) };
}

/**
 * The client's address before Express runs: the TCP peer, then X-Forwarded-For from the right,
 * as long as the hop that sent it is trusted (Express's compiled `trust proxy` function, the
 * same walk its req.ip does).
 */
export function peerAddress(
  req: { socket: { remoteAddress?: string }; headers: Record<string, string | string[] | undefined> },
  trust: (address: string, hop: number) => boolean,
): string {
  const header = req.headers["x-forwarded-for"];
  // No proxy in front (the common case): the peer is the client; the walk below would say the same.
  if (header === undefined) return req.socket.remoteAddress ?? "unknown";
  const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((a) => a.trim()).filter(Boolean);
  const chain = [req.socket.remoteAddress ?? "unknown", ...forwarded.reverse()];
  for (let hop = 0; hop < chain.length - 1; hop++) if (!trust(chain[hop]!, hop)) return chain[hop]!;
  return chain[chain.length - 1]!;
}
