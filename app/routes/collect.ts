import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { collectEvents, collectPreflight, collectWrongMethod } from "../server/ingest/endpoints.ts";
import { readLimitedBody, toResponse } from "../server/ingest/http.ts";

/**
 * The web pixel's endpoint. The pixel runs in a sandboxed worker whose requests carry no
 * Shopify authentication and sometimes no Origin: text/plain JSON (no CORS preflight),
 * `Access-Control-Allow-Origin: *`, shop and pixel key in the body. The pixel may forward
 * Shopify's standard events as they are. Responses carry statuses only, never profile data.
 * The running server answers POST and OPTIONS ahead of Remix (ingest/node-handler.ts).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method === "OPTIONS") return toResponse(collectPreflight());
  if (request.method !== "POST") return toResponse(collectWrongMethod());
  return toResponse(await collectEvents(context.runtime, () => readLimitedBody(request)));
}

// Remix hands OPTIONS to the loader: answer the CORS preflight here.
export async function loader({ request }: LoaderFunctionArgs) {
  if (request.method === "OPTIONS") return toResponse(collectPreflight());
  return toResponse(collectWrongMethod());
}
