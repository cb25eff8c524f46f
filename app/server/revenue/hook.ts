import type { CartActivity } from "@cartback/core/profile/activity";
import type { Db } from "@cartback/db";
import { handleCartActivity } from "../campaigns/activity.ts";
import { recordCharges } from "./orders.ts";

/**
 * Ingest's hook with revenue: the campaign engine first (episodes open, debounce, end), then
 * every new order is recorded and attributed, in the same transaction as the events.
 */
export async function handleActivityWithRevenue(tx: Db, activities: CartActivity[]): Promise<void> {
  await handleCartActivity(tx, activities);
  await recordCharges(tx, activities);
}
