import { type Db, profileIdentities, profiles } from "@cartback/db";
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";

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
}

const PAGE = 50;

/**
 * Live (not merged) profiles, most recently active first. `query` matches an email, a
 * customer id, a cart token, a client id or a variant id in the cart.
 */
export async function listProfiles(db: Db, shop: string, options: { query?: string; before?: string } = {}): Promise<ProfilePage> {
  const filters = [eq(profiles.shop, shop), isNull(profiles.mergedInto)];
  // A search box may send NUL (`?q=%00`), which PostgreSQL text cannot hold.
  const query = options.query?.replaceAll("\u0000", "").trim();
  if (query) {
    const ids = db
      .select({ id: profileIdentities.profileId })
      .from(profileIdentities)
      .where(and(eq(profileIdentities.shop, shop), sql`split_part(${profileIdentities.key}, ':', 2) = ${query.toLowerCase()}`));
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
  return { profiles: page, next: rows.length > PAGE && last?.lastEventAt ? last.lastEventAt : null };
}
