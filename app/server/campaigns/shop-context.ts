import { type Db, shops } from "@cartback/db";
import { eq } from "drizzle-orm";
import { z } from "zod";

/** Per-shop sender settings, kept under `shops.settings.sender`. */
export const SenderSettings = z.object({
  fromName: z.string().min(1).max(100).nullable().default(null),
  fromAddress: z.email().nullable().default(null),
  replyTo: z.email().nullable().default(null),
});
export type SenderSettings = z.infer<typeof SenderSettings>;

export interface ShopContext {
  shop: string;
  name: string;
  timezone: string;
  currency: string;
  moneyFormat: string;
  sender: SenderSettings;
}

export async function loadShopContext(db: Db, shop: string): Promise<ShopContext> {
  const [row] = await db.select().from(shops).where(eq(shops.shop, shop));
  const sender = SenderSettings.safeParse(row?.settings?.sender ?? {});
  return {
    shop,
    name: row?.name ?? shop.replace(/\.myshopify\.com$/, ""),
    timezone: row?.timezone ?? "UTC",
    currency: row?.currency ?? "USD",
    moneyFormat: row?.moneyFormat ?? "${{amount}}",
    sender: sender.success ? sender.data : SenderSettings.parse({}),
  };
}
