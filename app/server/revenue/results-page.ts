import type { Db } from "@cartback/db";
import { shopMoney } from "../shops/shop-money.ts";
import { abReport } from "./ab-report.ts";
import { buildReport } from "./report.ts";
import { readRevenueSettings } from "./settings.ts";

/** Everything the Results page loads, read at once: the route's loader and the bench time this. */
export async function resultsPage(db: Db, shop: string, options: { days: number; now: Date }) {
  const [report, money, settings, ab] = await Promise.all([buildReport(db, shop, options), shopMoney(db, shop), readRevenueSettings(db, shop), abReport(db, shop, options)]);
  return { report, money, settings, ab };
}
