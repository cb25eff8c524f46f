import { type LoaderFunctionArgs, redirect } from "@remix-run/node";

// Shopify opens the app at its root with ?shop=…&host=…; keep the query for the embedded auth.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  throw redirect(`/app${url.search}`);
}
