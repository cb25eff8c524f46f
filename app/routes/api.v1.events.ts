import type { ActionFunctionArgs } from "@remix-run/node";
import { problem } from "../server/http.ts";
import { apiEvents } from "../server/ingest/endpoints.ts";
import { readLimitedBody, toResponse } from "../server/ingest/http.ts";

/**
 * Public API for custom sources: `Authorization: Bearer cbk_…`, `{ "events": [...] }` (≤ 500).
 * The running server answers POSTs ahead of Remix (ingest/node-handler.ts) with the same function.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "method_not_allowed", "use POST", undefined, { Allow: "POST" });
  return toResponse(await apiEvents(context.runtime, request.headers.get("authorization"), () => readLimitedBody(request)));
}

export async function loader() {
  return problem(405, "method_not_allowed", "use POST", undefined, { Allow: "POST" });
}
