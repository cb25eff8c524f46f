import { type Db, shops } from "@cartback/db";
import { and, inArray, isNotNull } from "drizzle-orm";
import type { SchedulerContext } from "./context.ts";

/** The shops among these that uninstalled Cartback (app/uninstalled arrived, no reinstall since). */
export async function uninstalledAmong(db: Db, wanted: string[]): Promise<Set<string>> {
  const names = [...new Set(wanted)];
  if (names.length === 0) return new Set();
  const rows = await db
    .select({ shop: shops.shop })
    .from(shops)
    .where(and(inArray(shops.shop, names), isNotNull(shops.uninstalledAt)));
  return new Set(rows.map((r) => r.shop));
}

/**
 * How long a worker trusts what it last read about a shop's install state when handing a
 * freshly decided send to the transport. The decision itself read it in its transaction; this
 * second look closes the gap between that read and the relay (sends wait for a delivery slot),
 * at one query per shop per second instead of one per email.
 */
export const INSTALL_STATE_TTL_MS = 1_000;

const seen = new WeakMap<SchedulerContext, Map<string, { at: number; uninstalled: boolean }>>();

/** Whether the shop uninstalled Cartback, as read at most INSTALL_STATE_TTL_MS ago by this worker. */
export async function shopUninstalledNow(ctx: SchedulerContext, shop: string): Promise<boolean> {
  const byShop = seen.get(ctx) ?? new Map<string, { at: number; uninstalled: boolean }>();
  seen.set(ctx, byShop);
  const known = byShop.get(shop);
  const at = performance.now();
  if (known && at - known.at < INSTALL_STATE_TTL_MS) return known.uninstalled;
  const uninstalled = (await uninstalledAmong(ctx.db, [shop])).has(shop);
  byShop.set(shop, { at, uninstalled });
  return uninstalled;
}
