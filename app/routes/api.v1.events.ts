import type { ActionFunctionArgs } from "@remix-run/node";
import { problem } from "../server/http.ts";
import { invalid, parseBatch, readLimitedBody, summaryResponse } from "../server/ingest/http.ts";
import { ingest } from "../server/ingest/service.ts";
import { verifyApiKey } from "../server/shops/keys.ts";

/** Public API for custom sources: `Authorization: Bearer cbk_…`, `{ "events": [...] }` (≤ 500). */
export async function action({ request, context }: ActionFunctionArgs) {
  const { runtime } = context;
  if (request.method !== "POST") return problem(405, "method_not_allowed", "use POST", undefined, { Allow: "POST" });
  const auth = await verifyApiKey(runtime.database.db, request.headers.get("authorization"));
  if (auth.type === "unauthorized") return problem(401, "unauthorized", auth.reason, "Authorization");
  const batch = parseBatch(await readLimitedBody(request));
  if (batch.type === "invalid") return invalid(batch);
  const outcome = await ingest(runtime, { shop: auth.shop, source: "api", items: batch.events, receivedAt: new Date() });
  if (outcome.type === "unknown_shop") return problem(404, "unknown_shop", `${outcome.shop} is not installed`, "Authorization");
  return summaryResponse(outcome.summary);
}

export async function loader() {
  return problem(405, "method_not_allowed", "use POST", undefined, { Allow: "POST" });
}
