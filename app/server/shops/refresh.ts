import { shops } from "@cartback/db";
import { and, isNull, sql } from "drizzle-orm";
import type { Runtime } from "../runtime.ts";
import { adminClientFor } from "../shopify/admin-runtime.ts";
import { queryShopFacts } from "../shopify/shop-query.ts";
import { applyShopFacts } from "./shop-facts.ts";

export type RefreshResult =
  | { type: "applied"; timezoneFollowed: boolean }
  | { type: "stale" }
  | { type: "unknown_shop" }
  | { type: "failed"; reason: string };

/** Reads one shop's settings from Shopify and stores them; a failure keeps the last known values. */
export async function refreshShopFacts(runtime: Runtime, shop: string, now = new Date()): Promise<RefreshResult> {
  const read = await queryShopFacts(adminClientFor(runtime), shop, now);
  if (read.type === "failed") return read;
  if (read.type === "invalid") return { type: "failed", reason: `${read.field}: ${read.message}` };
  return applyShopFacts(runtime.database.db, shop, read.facts);
}

/**
 * Retry after a failed read: 1 min, doubling, at most hourly. Otherwise a look every 5 minutes
 * for shops installed since (partner mode), and the configured shop read again twice a day.
 */
const RETRY_MS = { first: 60_000, max: 60 * 60_000, healthy: 5 * 60_000, configuredEvery: 12 * 60 * 60_000 };

export interface ShopFactsRefresher {
  /** Settles after the first round (ok or not): callers may wait on it, bounded. */
  firstRound: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps the shops' currency, time zone, money format, name and contact email in step with the
 * store. Self-hosted: the configured shop on every start (and twice a day: a custom app may not
 * have registered shop/update). Partner: installed shops never read yet. A failed read is logged
 * and retried later; it never stops the process.
 */
export function startShopFactsRefresh(runtime: Runtime, retry = RETRY_MS): ShopFactsRefresher {
  const logger = runtime.logger.child({ component: "shop-facts" });
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let failures = 0;
  let configuredReadAt = Number.NEGATIVE_INFINITY;
  let running: Promise<void> = Promise.resolve();

  const round = async () => {
    const mode = runtime.config.mode;
    // Without Admin API credentials (unconfigured) there is nobody to ask.
    const wanted = new Set(mode.type === "partner" ? await shopsNeverRead(runtime) : []);
    const configuredDue = Date.now() - configuredReadAt >= retry.configuredEvery;
    if (configuredDue && mode.type === "self-hosted") wanted.add(mode.shop);
    let failed = false;
    for (const shop of wanted) {
      const result = await refreshShopFacts(runtime, shop).catch((error: unknown) => ({ type: "failed" as const, reason: error instanceof Error ? error.message : String(error) }));
      if (result.type === "failed") {
        failed = true;
        logger.warn({ shop, reason: result.reason }, "could not read the shop's settings from Shopify; keeping the last known ones, will retry");
      } else if (result.type === "applied") logger.info({ shop, timezoneFollowed: result.timezoneFollowed }, "shop settings read from Shopify");
    }
    if (!failed && configuredDue) configuredReadAt = Date.now();
    failures = failed ? failures + 1 : 0;
  };
  const schedule = () => {
    if (stopped) return;
    const wait = failures === 0 ? retry.healthy : Math.min(retry.max, retry.first * 2 ** (failures - 1));
    timer = setTimeout(tick, wait);
    timer.unref();
  };
  const tick = () => {
    running = round()
      .catch((error: unknown) => {
        failures++;
        logger.error({ err: error }, "shop settings refresh failed");
      })
      .finally(schedule);
  };
  tick();
  return {
    firstRound: running,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

async function shopsNeverRead(runtime: Runtime): Promise<string[]> {
  const rows = await runtime.database.db
    .select({ shop: shops.shop })
    .from(shops)
    .where(and(isNull(shops.uninstalledAt), sql`${shops.settings} -> 'shopify' is null`));
  return rows.map((r) => r.shop);
}
