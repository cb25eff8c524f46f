import type { LoaderFunctionArgs } from "@remix-run/node";
import { NotYet } from "../components/NotYet.tsx";
import { authenticateAdmin } from "../shopify.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await authenticateAdmin(request, context);
  return null;
}

export default function OutboxPage() {
  return <NotYet title="Outbox">Emails kept in the local outbox (when no SMTP_URL is configured) appear here.</NotYet>;
}
