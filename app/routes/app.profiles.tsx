import type { LoaderFunctionArgs } from "@remix-run/node";
import { NotYet } from "../components/NotYet.tsx";
import { authenticateAdmin } from "../shopify.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await authenticateAdmin(request, context);
  return null;
}

export default function ProfilesPage() {
  return <NotYet title="Profiles">Shopper profiles with their identities, live cart (shopify_cart_ids), events and every send or skip decision appear here.</NotYet>;
}
