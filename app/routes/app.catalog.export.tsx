import type { LoaderFunctionArgs } from "@remix-run/node";
import { SHOPIFY_CATALOG } from "@cartback/core/catalog/row";
import { csvDownload } from "../server/catalog/http.ts";
import { problem } from "../server/http.ts";
import { authenticateAdmin } from "../shopify.server";

/** The admin's "Export CSV": any catalog of the signed-in shop, streamed. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return problem(409, "no_shop", "connect a store first");
  const name = new URL(request.url).searchParams.get("name") || SHOPIFY_CATALOG;
  return csvDownload(context.runtime, admin.shop, name);
}
