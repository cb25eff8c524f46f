import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { shopifyFor } from "../shopify.server";

// Partner-mode OAuth callbacks (/auth/callback, /auth/session-token, …) are handled by the library.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const shopify = shopifyFor(context.runtime);
  if (!shopify) throw redirect("/auth/login");
  await shopify.authenticate.admin(request);
  return null;
}
