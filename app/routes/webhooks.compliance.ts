import { type ActionFunctionArgs, json } from "@remix-run/node";
import { orUnavailable } from "../server/ingest/unavailable.ts";
import { handleCompliance } from "../server/compliance/handle.ts";
import { removeRedactedOutboxFiles } from "../server/compliance/outbox-files.ts";
import { shopifySecret } from "../server/config.ts";
import { problem } from "../server/http.ts";
import { outboxDir } from "../server/mail/index.ts";
import { readWebhook, webhookRefusal } from "../server/shopify/webhooks.ts";

// customers/data_request, customers/redact, shop/redact. Idempotent: each delivery is claimed
// in the transaction that applies it.
export async function action({ request, context }: ActionFunctionArgs) {
  // A database outage: 503 with Retry-After (Shopify retries), not a plain-text 500.
  return orUnavailable(async () => {
    const { runtime } = context;
    const hook = await readWebhook(request, shopifySecret(runtime.config));
    if (hook.type !== "ok") return webhookRefusal(hook);
    const result = await handleCompliance(runtime.database.db, hook);
    switch (result.type) {
      case "done": {
        // After the commit, so mail whose rows survived is never deleted; the commit recorded
        // the files, and maintenance finishes the job if this process dies first.
        const files = await removeRedactedOutboxFiles(runtime.database.db, outboxDir(runtime.config), { shop: hook.shop, webhookId: hook.webhookId });
        runtime.logger.info({ shop: hook.shop, topic: hook.topic, removed: { ...result.removed, outbox_files: files } }, "compliance request applied");
        return json({ ok: true });
      }
      case "duplicate":
        return json({ ok: true, duplicate: true });
      case "bad_request":
        return problem(400, "bad_request", result.reason, result.field);
      case "unknown_topic":
        return problem(400, "unknown_topic", `not a compliance topic: ${result.topic}`, "X-Shopify-Topic");
      default: {
        const unreachable: never = result;
        return unreachable;
      }
    }
  });
}
