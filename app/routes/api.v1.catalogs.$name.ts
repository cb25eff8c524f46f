import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { csvDownload, importCsvText } from "../server/catalog/http.ts";
import { CATALOG_NAME, MAX_CSV_BYTES } from "../server/catalog/csv-import.ts";
import { problem } from "../server/http.ts";
import { readLimitedBody } from "../server/ingest/http.ts";
import { verifyApiKey } from "../server/shops/keys.ts";

/** GET: the catalog as CleverTap-style CSV. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { runtime } = context;
  const auth = await verifyApiKey(runtime.database.db, request.headers.get("authorization"));
  if (auth.type === "unauthorized") return problem(401, "unauthorized", auth.reason, "Authorization");
  const name = params.name ?? "";
  if (!CATALOG_NAME.test(name)) return problem(400, "invalid_catalog_name", "catalog names are 1-63 of a-z, 0-9, _ and -", "name");
  return csvDownload(runtime, auth.shop, name);
}

/** PUT (or POST) text/csv: replaces a merchant catalog as a whole; a bad file changes nothing. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { runtime } = context;
  if (request.method !== "PUT" && request.method !== "POST") {
    return problem(405, "method_not_allowed", "use PUT with a text/csv body", undefined, { Allow: "GET, PUT, POST" });
  }
  const auth = await verifyApiKey(runtime.database.db, request.headers.get("authorization"));
  if (auth.type === "unauthorized") return problem(401, "unauthorized", auth.reason, "Authorization");
  const body = await readLimitedBody(request, MAX_CSV_BYTES);
  if (body.type === "too_large") return problem(413, "too_large", `CSV files are limited to ${MAX_CSV_BYTES / 1024 / 1024} MB`, "body");
  return importCsvText(runtime, auth.shop, params.name ?? "", body.raw);
}
