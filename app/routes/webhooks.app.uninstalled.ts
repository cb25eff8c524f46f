import { sessionTable, shops } from "@cartback/db";
import { type ActionFunctionArgs, json } from "@remix-run/node";
import { orUnavailable } from "../server/ingest/unavailable.ts";
import { and, eq } from "drizzle-orm";
import { shopifySecret } from "../server/config.ts";
import { forgetShop } from "../server/shops/lookup.ts";
import { claimWebhookDelivery, readWebhook, webhookRefusal } from "../server/shopify/webhooks.ts";

// Idempotent: marking a shop uninstalled and dropping its sessions twice changes nothing.
// Its data stays until shop/redact arrives (~48 h later), so a quick reinstall loses nothing;
// the campaign worker sends nothing for an uninstalled shop (decision shop_uninstalled).
export async function action({ request, context }: ActionFunctionArgs) {
  // A database outage: 503 with Retry-After (Shopify retries), not a plain-text 500.
  return orUnavailable(async () => {
    const { runtime } = context;
    const hook = await readWebhook(request, shopifySecret(runtime.config));
    if (hook.type !== "ok") return webhookRefusal(hook);
    await runtime.database.db.transaction(async (tx) => {
      if (!(await claimWebhookDelivery(tx, hook))) return;
      await tx.update(shops).set({ uninstalledAt: new Date() }).where(and(eq(shops.shop, hook.shop)));
      await tx.delete(sessionTable).where(eq(sessionTable.shop, hook.shop));
    });
    // Ingest stops at once in this process; other processes see it within the lookup's TTL.
    forgetShop(runtime.database.db, hook.shop);
    runtime.logger.info({ shop: hook.shop }, "app uninstalled");
    return json({ ok: true });
  });
}
