import type { ShopMoney } from "@cartback/core/money-format";
import { type Db, shops } from "@cartback/db";
import { eq } from "drizzle-orm";

/** How the shop prints prices (currency and money format as Shopify last gave them), for admin pages and the CLI. */
export async function shopMoney(db: Db, shop: string): Promise<ShopMoney> {
  const [row] = await db.select({ currency: shops.currency, moneyFormat: shops.moneyFormat }).from(shops).where(eq(shops.shop, shop));
  // The column defaults, for a shop not (yet) installed.
  return { currency: row?.currency ?? "USD", moneyFormat: row?.moneyFormat ?? "${{amount}}" };
}
