import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { type Db, shops } from "@cartback/db";
import { eq } from "drizzle-orm";
import { forgetShop } from "./lookup.ts";

/**
 * Per-shop credentials for event ingest. The API key (bearer for POST /api/v1/events) is
 * shown once and stored as a SHA-256 hash: it is high-entropy, so a slow hash adds nothing.
 * The pixel key is public by nature (it ships in the pixel's settings): it only ties a
 * /collect body to a shop, it does not authorize reading anything.
 */
const API_KEY_PREFIX = "cbk_";
const PIXEL_KEY_PREFIX = "cbp_";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Issues (or rotates) the shop's API key; the old key stops working at once. */
export async function issueApiKey(db: Db, shop: string): Promise<string> {
  const key = `${API_KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
  const rows = await db.update(shops).set({ apiKeyHash: hashApiKey(key) }).where(eq(shops.shop, shop)).returning({ shop: shops.shop });
  if (rows.length === 0) throw new Error(`issueApiKey: no shop ${shop}`);
  apiKeyCache.clear();
  forgetShop(db, shop);
  return key;
}

/** Issues the pixel key once; later calls return the existing one (the pixel keeps working). */
export async function ensurePixelKey(db: Db, shop: string): Promise<string> {
  const [row] = await db.select({ pixelKey: shops.pixelKey }).from(shops).where(eq(shops.shop, shop));
  if (!row) throw new Error(`ensurePixelKey: no shop ${shop}`);
  if (row.pixelKey) return row.pixelKey;
  const key = `${PIXEL_KEY_PREFIX}${randomBytes(18).toString("base64url")}`;
  await db.update(shops).set({ pixelKey: key }).where(eq(shops.shop, shop));
  forgetShop(db, shop);
  return key;
}

const apiKeyCache = new Map<string, { shop: string | null; until: number }>();

export type ApiKeyCheck = { type: "ok"; shop: string } | { type: "unauthorized"; reason: string };

/** `Authorization: Bearer cbk_…` → the shop it belongs to. */
export async function verifyApiKey(db: Db, authorization: string | null, now = Date.now()): Promise<ApiKeyCheck> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match) return { type: "unauthorized", reason: "send the shop's API key as Authorization: Bearer cbk_…" };
  const key = match[1]!;
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 100) return { type: "unauthorized", reason: "not a Cartback API key" };
  const hash = hashApiKey(key);
  let hit = apiKeyCache.get(hash);
  if (!hit || hit.until <= now) {
    const [row] = await db.select({ shop: shops.shop }).from(shops).where(eq(shops.apiKeyHash, hash));
    hit = { shop: row?.shop ?? null, until: now + 5_000 };
    if (apiKeyCache.size > 10_000) apiKeyCache.clear();
    apiKeyCache.set(hash, hit);
  }
  return hit.shop ? { type: "ok", shop: hit.shop } : { type: "unauthorized", reason: "unknown or revoked API key" };
}

export function pixelKeyMatches(expected: string | null, given: string): boolean {
  if (!expected) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
