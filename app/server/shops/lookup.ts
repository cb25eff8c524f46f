import { type Db, shops } from "@cartback/db";
import { eq } from "drizzle-orm";

/**
 * Shop rows as ingest needs them, cached briefly: every event request checks its shop, and
 * a settings change (tracking off) may take `TTL_MS` to be seen by every process.
 */
export type ShopRow = typeof shops.$inferSelect;

const TTL_MS = 5_000;
const cache = new WeakMap<Db, Map<string, { row: ShopRow | null; until: number }>>();
/**
 * Lookups in flight, one per shop: when a busy shop's row expires, every request arriving before
 * the database answers waits for that one query. Each used to send its own: at 1,024 /collect
 * connections the expiry put 400+ selects on the 10-connection pool every 5 s, each waiting
 * 0.3-0.7 s behind the others (bench/results/ingest.md), the answers' p99.
 */
const inFlight = new WeakMap<Db, Map<string, Flight>>();
interface Flight {
  row: Promise<ShopRow | null>;
}

/** No stored shop is longer (a DNS name) or holds NUL (PostgreSQL text cannot): such names, from a body, match nothing. */
const MAX_SHOP_LENGTH = 255;

export async function findShop(db: Db, shop: string, now = Date.now()): Promise<ShopRow | null> {
  if (shop.length > MAX_SHOP_LENGTH || shop.includes("\u0000")) return null;
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  const hit = perDb.get(shop);
  if (hit && hit.until > now) return hit.row;
  let flights = inFlight.get(db);
  if (!flights) {
    flights = new Map();
    inFlight.set(db, flights);
  }
  const pending = flights.get(shop);
  if (pending) return pending.row;
  const flight = {} as Flight;
  flight.row = lookUp(db, shop, now, flight);
  flights.set(shop, flight);
  return flight.row;
}

async function lookUp(db: Db, shop: string, now: number, flight: Flight): Promise<ShopRow | null> {
  // forgetShop during the query (a settings change) drops the flight: its read may predate the change, so it is not kept.
  const current = () => inFlight.get(db)?.get(shop) === flight;
  try {
    const [row] = await db.select().from(shops).where(eq(shops.shop, shop));
    const value = row && !row.uninstalledAt ? row : null;
    const perDb = cache.get(db);
    if (current() && perDb) {
      if (perDb.size > 10_000) perDb.clear();
      perDb.set(shop, { row: value, until: now + TTL_MS });
    }
    return value;
  } finally {
    if (current()) inFlight.get(db)!.delete(shop);
  }
}

/** Drops cached rows (after a settings change in this process, and in tests). */
export function forgetShop(db: Db, shop?: string): void {
  if (shop) {
    cache.get(db)?.delete(shop);
    inFlight.get(db)?.delete(shop);
  } else {
    cache.delete(db);
    inFlight.delete(db);
  }
}

/** How long a shop keeps each profile's event history (settings.eventRetentionDays). */
export function retentionDays(row: Pick<ShopRow, "settings">): number {
  const value = row.settings.eventRetentionDays;
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : 90;
}
