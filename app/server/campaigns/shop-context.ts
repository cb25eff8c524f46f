import { catalogs, type Db, shops } from "@cartback/db";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { MailAddress } from "../mail/mail-address.ts";
import { revenueSettingsOf } from "../revenue/settings.ts";
import { storedFacts } from "../shops/shop-facts.ts";

/** Per-shop sender settings, kept under `shops.settings.sender`. */
export const SenderSettings = z.object({
  fromName: z.string().min(1).max(100).nullable().default(null),
  fromAddress: MailAddress.nullable().default(null),
  replyTo: MailAddress.nullable().default(null),
});
export type SenderSettings = z.infer<typeof SenderSettings>;

export interface ShopContext {
  shop: string;
  name: string;
  timezone: string;
  currency: string;
  moneyFormat: string;
  moneyWithCurrencyFormat: string | null;
  /** The store's public contact email as Shopify last gave it: the sender of last resort. */
  contactEmail: string | null;
  sender: SenderSettings;
  /** Where recovery links land: the primary domain from the last catalog sync, else https://{shop}. */
  storefrontOrigin?: string | null;
  /** Rewrite the email's links to the shop through the click redirect (Results settings); default on. */
  clickTracking?: boolean;
  /** app/uninstalled arrived and no reinstall since: nothing of this shop is sent (absent: installed). */
  uninstalled?: boolean;
}

export async function loadShopContext(db: Db, shop: string): Promise<ShopContext> {
  return (await loadShopContexts(db, [shop])).get(shop)!;
}

/** These shops' contexts in two statements, however many (a scheduler batch spans shops). */
export async function loadShopContexts(db: Db, wanted: string[]): Promise<Map<string, ShopContext>> {
  const names = [...new Set(wanted)];
  if (names.length === 0) return new Map();
  const rows = await db.select().from(shops).where(inArray(shops.shop, names));
  const origins = await db
    .select({ shop: catalogs.shop, storefrontOrigin: catalogs.storefrontOrigin })
    .from(catalogs)
    .where(and(inArray(catalogs.shop, names), eq(catalogs.kind, "shopify")));
  const rowOf = new Map(rows.map((r) => [r.shop, r]));
  const originOf = new Map(origins.map((o) => [o.shop, o.storefrontOrigin]));
  return new Map(names.map((shop) => [shop, shopContext(shop, rowOf.get(shop), originOf.get(shop) ?? null)]));
}

function shopContext(shop: string, row: typeof shops.$inferSelect | undefined, storefrontOrigin: string | null): ShopContext {
  const sender = SenderSettings.safeParse(row?.settings?.sender ?? {});
  const facts = storedFacts(row?.settings);
  return {
    shop,
    name: row?.name ?? shop.replace(/\.myshopify\.com$/, ""),
    timezone: row?.timezone ?? "UTC",
    currency: row?.currency ?? "USD",
    moneyFormat: row?.moneyFormat ?? "${{amount}}",
    moneyWithCurrencyFormat: facts?.moneyWithCurrencyFormat ?? null,
    contactEmail: facts?.contactEmail ?? null,
    sender: sender.success ? sender.data : SenderSettings.parse({}),
    storefrontOrigin,
    clickTracking: revenueSettingsOf(row?.settings).clickTracking,
    uninstalled: row?.uninstalledAt != null,
  };
}

export type SenderUpdate = { type: "ok"; sender: SenderSettings } | { type: "invalid"; field: string; message: string } | { type: "unknown_shop" };

/** Stores the shop's sender under `shops.settings.sender`, leaving its other settings alone. */
export async function updateSender(db: Db, shop: string, patch: Partial<SenderSettings>): Promise<SenderUpdate> {
  const [row] = await db.select({ settings: shops.settings }).from(shops).where(eq(shops.shop, shop));
  if (!row) return { type: "unknown_shop" };
  const current = SenderSettings.safeParse(row.settings.sender ?? {});
  const merged = SenderSettings.safeParse({ ...(current.success ? current.data : {}), ...patch });
  if (!merged.success) {
    const issue = merged.error.issues[0];
    return { type: "invalid", field: issue?.path.join(".") || "sender", message: issue?.message ?? "invalid" };
  }
  await db.update(shops).set({ settings: { ...row.settings, sender: merged.data } }).where(eq(shops.shop, shop));
  return { type: "ok", sender: merged.data };
}
