import type { ActionFunctionArgs } from "@remix-run/node";
import { parseOnly } from "../server/ingest/endpoints.ts";
import { readLimitedBody, toResponse } from "../server/ingest/http.ts";

/**
 * Benchmark ceiling (`npm run bench:ingest`): receives the same bodies as the event
 * endpoints and only reads and parses them. Exists only when CARTBACK_BENCH=1; the running
 * server then answers it ahead of Remix, like the event endpoints (ingest/node-handler.ts).
 */
export async function action({ request }: ActionFunctionArgs) {
  return toResponse(await parseOnly(() => readLimitedBody(request)));
}
