import type { LoaderFunctionArgs } from "@remix-run/node";
import { NotYet } from "../components/NotYet.tsx";
import { authenticateAdmin } from "../shopify.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await authenticateAdmin(request, context);
  return null;
}

export default function CampaignsPage() {
  return <NotYet title="Campaigns">Abandonment campaigns — trigger Added to Cart, exit on Charged, steps, delays, frequency caps and quiet hours — are configured here.</NotYet>;
}
