import { json, type ActionFunctionArgs } from "@remix-run/node";
import { problem } from "../server/http.ts";
import { parseBatch, readLimitedBody } from "../server/ingest/http.ts";

/**
 * Benchmark ceiling (`npm run bench:ingest`): receives the same bodies as the event
 * endpoints and only reads and parses them. Exists only when CARTBACK_BENCH=1.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (process.env.CARTBACK_BENCH !== "1") return problem(404, "not_found", "no such endpoint");
  const batch = parseBatch(await readLimitedBody(request));
  if (batch.type === "invalid") return problem(batch.status, batch.code, batch.message, batch.field);
  return json({ received: batch.events.length });
}
