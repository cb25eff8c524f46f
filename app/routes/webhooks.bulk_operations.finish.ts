import { type ActionFunctionArgs, json } from "@remix-run/node";
import { orUnavailable } from "../server/ingest/unavailable.ts";
import { z } from "zod";
import { catalogDeps, inBackground } from "../server/catalog/deps.ts";
import { completeSyncFromBulkOperation } from "../server/catalog/sync.ts";
import { shopifySecret } from "../server/config.ts";
import { problem } from "../server/http.ts";
import { claimWebhookDelivery, readWebhook, webhookRefusal } from "../server/shopify/webhooks.ts";

const BulkFinished = z.looseObject({
  admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/BulkOperation\/\d+$/),
  status: z.string().nullish(),
  error_code: z.string().nullish(),
});

// Idempotent twice over: the delivery is claimed, and a sync is read only by whoever moves
// it from running to ingesting (the poller may get there first). The result is read after
// answering, because a large catalog takes longer than Shopify waits for a webhook.
export async function action({ request, context }: ActionFunctionArgs) {
  // A database outage: 503 with Retry-After (Shopify retries), not a plain-text 500.
  return orUnavailable(async () => {
    const { runtime } = context;
    const hook = await readWebhook(request, shopifySecret(runtime.config));
    if (hook.type !== "ok") return webhookRefusal(hook);
    const body = BulkFinished.safeParse(hook.payload);
    if (!body.success) return problem(400, "bad_payload", body.error.issues[0]!.message, body.error.issues[0]!.path.join(".") || "body");
    const fresh = await runtime.database.db.transaction((tx) => claimWebhookDelivery(tx, hook));
    if (fresh) {
      const deps = catalogDeps(runtime);
      inBackground(runtime, "catalog sync completion", () => completeSyncFromBulkOperation(deps, hook.shop, body.data.admin_graphql_api_id));
    }
    return json({ ok: true });
  });
}
