import { ID_NORMALIZERS } from "@cartback/core/events/fields";
import { type Db, profileIdentities, profiles } from "@cartback/db";
import { and, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";

export interface ProfileSummary {
  id: string;
  email: string | null;
  customerId: string | null;
  cartIds: string[];
  cartQuantity: number;
  lastEventAt: string | null;
}

export interface ProfilePage {
  profiles: ProfileSummary[];
  /** Pass back as `before` for the next (older) page. */
  next: string | null;
  /** Whether the shop has any live profile: an empty search is then "no match", not "none yet". */
  shopHasProfiles: boolean;
  /** The search matched more identities than one search reads (MATCHES): the page may leave some out. */
  capped: boolean;
}

const PAGE = 50;
/** Identities one search reads at most: a one-letter email prefix must not read a whole shop. */
const MATCHES = 1000;
const LONGEST_QUERY = 320;

/**
 * Live (not merged) profiles, most recently active first. `query` matches the start of an
 * email (case-insensitive), or exactly a customer id, a cart or checkout token, a client id,
 * a phone or a variant id in the cart.
 */
export async function listProfiles(db: Db, shop: string, options: { query?: string; before?: string } = {}): Promise<ProfilePage> {
  const filters = [eq(profiles.shop, shop), isNull(profiles.mergedInto)];
  // A search box may send NUL (`?q=%00`), which PostgreSQL text cannot hold.
  const query = options.query?.replaceAll("\u0000", "").trim().slice(0, LONGEST_QUERY);
  let capped = false;
  if (query) {
    const match = identityMatch(query, await ordersByCodePoint(db));
    const ids = db.select({ id: profileIdentities.profileId }).from(profileIdentities).where(and(eq(profileIdentities.shop, shop), match)).limit(MATCHES);
    const matched = db.select({ one: sql`1` }).from(profileIdentities).where(and(eq(profileIdentities.shop, shop), match)).limit(MATCHES + 1);
    const [over] = await db.select({ n: sql<number>`count(*)::int` }).from(matched.as("m"));
    capped = (over?.n ?? 0) > MATCHES;
    const inCart = /^\d+$/.test(query) ? sql` or ${profiles.cart} @> ${JSON.stringify([{ variantId: query }])}::jsonb` : sql``;
    filters.push(sql`(${profiles.id} in ${ids}${inCart})`);
  }
  const before = options.before ? new Date(options.before) : null;
  if (before && !Number.isNaN(before.getTime())) filters.push(lt(profiles.lastEventAt, before));
  const rows = await db
    .select()
    .from(profiles)
    .where(and(...filters))
    .orderBy(desc(profiles.lastEventAt), desc(profiles.id))
    .limit(PAGE + 1);
  const page = rows.slice(0, PAGE).map((row): ProfileSummary => {
    const cart = (row.cart as { variantId: string; quantity: number }[]) ?? [];
    return {
      id: row.id,
      email: row.email,
      customerId: row.customerId,
      cartIds: cart.map((line) => line.variantId),
      cartQuantity: cart.reduce((sum, line) => sum + line.quantity, 0),
      lastEventAt: row.lastEventAt?.toISOString() ?? null,
    };
  });
  const last = page.at(-1);
  const next = rows.length > PAGE && last?.lastEventAt ? last.lastEventAt : null;
  return { profiles: page, next, shopHasProfiles: page.length > 0 || (await hasProfiles(db, shop)), capped };
}

/**
 * Emails are stored lower-cased as `email:<address>`. Where the database orders text by code
 * point, a prefix is the key range [email:ana, email:anb), which the (shop, key) primary key
 * serves. A linguistic collation (en_US, ICU) orders punctuation differently, so the range could
 * miss `ana+shop@…`: there starts_with alone reads the shop's keys. Other kinds match exactly.
 */
export function identityMatch(query: string, byCodePoint: boolean): SQL {
  const prefix = `email:${query.toLowerCase()}`;
  const end = byCodePoint ? after(prefix) : null;
  const email = and(byCodePoint ? gte(profileIdentities.key, prefix) : undefined, end ? lt(profileIdentities.key, end) : undefined, sql`starts_with(${profileIdentities.key}, ${prefix})`)!;
  return or(email, inArray(profileIdentities.key, exactKeys(query)))!;
}

const collations = new WeakMap<Db, Promise<boolean>>();

/** Whether the database's default collation orders text by code point (C, POSIX, C.UTF-8; not ICU). */
function ordersByCodePoint(db: Db): Promise<boolean> {
  let known = collations.get(db);
  if (!known) {
    // to_jsonb: datlocprovider exists from PostgreSQL 15 on; before it every default collation is libc's.
    known = db
      .execute(sql`select d.datcollate as collate, to_jsonb(d) ->> 'datlocprovider' as provider from pg_database d where d.datname = current_database()`)
      .then((result) => {
        const row = (result as unknown as { rows: { collate: string; provider: string | null }[] }).rows[0];
        return row !== undefined && row.provider !== "i" && /^(C|POSIX|C\.utf-?8)$/i.test(row.collate);
      })
      .catch(() => false);
    collations.set(db, known);
  }
  return known;
}

function exactKeys(query: string): string[] {
  const keys = new Set([`customerId:${query}`, `checkoutToken:${query}`, `cartToken:${query}`, `clientId:${query}`, `phone:${query}`]);
  for (const kind of ["customerId", "cartToken", "checkoutToken"] as const) {
    const normalized = ID_NORMALIZERS[kind](query);
    if (normalized.type === "ok") keys.add(`${kind}:${normalized.value}`);
  }
  return [...keys];
}

/** The least string above every string that starts with `prefix` (by code point, as the C collation orders UTF-8). */
function after(prefix: string): string | null {
  const points = [...prefix];
  const last = points.pop()!.codePointAt(0)!;
  if (last >= 0x10ffff) return null;
  const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
  return points.join("") + String.fromCodePoint(next);
}

async function hasProfiles(db: Db, shop: string): Promise<boolean> {
  const [row] = await db.select({ id: profiles.id }).from(profiles).where(and(eq(profiles.shop, shop), isNull(profiles.mergedInto))).limit(1);
  return row !== undefined;
}
