import type { LoaderFunctionArgs } from "@remix-run/node";
import { NotYet } from "../components/NotYet.tsx";
import { authenticateAdmin } from "../shopify.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await authenticateAdmin(request, context);
  return null;
}

export default function CatalogPage() {
  return <NotYet title="Catalog">The Catalog Sync toggle, sync progress, and the synced and imported catalogs appear here.</NotYet>;
}
