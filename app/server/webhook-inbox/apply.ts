import { parseJsonLossless } from "@cartback/core/ids/json";
import type { Runtime } from "../runtime.ts";
import type { IngestOutcome } from "../ingest/service.ts";
import { findShop } from "../shops/lookup.ts";
import type { InboxRow } from "./store.ts";
import { translateAny } from "./translate.ts";

export type Applied = { type: "applied"; outcome: IngestOutcome } | { type: "nothing"; reason: string };

/**
 * Applies one stored delivery through the ingest service, as the route did before the inbox:
 * the delivery is claimed in the applying transaction (webhook_deliveries), so a row applied
 * twice (a crash before its delete, an expired lease) changes nothing the second time. A row
 * that cannot be applied (its shop gone, a topic or payload refused) is reported, not thrown:
 * the route refused such deliveries before storing them, so only a change since can cause it.
 * `events`: the route's own translation of the body, not repeated.
 */
export async function applyRow(runtime: Runtime, row: Pick<InboxRow, "shop" | "webhookId" | "topic" | "body" | "receivedAt">, events?: readonly unknown[]): Promise<Applied> {
  const shop = await findShop(runtime.database.db, row.shop);
  if (!shop) return { type: "nothing", reason: "the shop has uninstalled Cartback" };
  let items = events;
  if (!items) {
    const translated = translateAny(row.topic, parseJsonLossless(row.body), { shopCurrency: shop.currency });
    if (!translated) return { type: "nothing", reason: `${row.topic} is not applied from the inbox` };
    if (translated.type === "invalid") return { type: "nothing", reason: `${translated.field}: ${translated.reason}` };
    items = translated.events;
  }
  const outcome = await runtime.ingest.submit({
    shop: row.shop,
    source: "webhook",
    items,
    receivedAt: row.receivedAt,
    fieldPrefix: "body",
    delivery: { webhookId: row.webhookId, topic: row.topic },
  });
  return { type: "applied", outcome };
}
