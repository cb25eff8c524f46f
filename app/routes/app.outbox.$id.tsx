import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Page, Text } from "@shopify/polaris";
import { getOutboxMessage } from "../server/campaigns/outbox-view.ts";
import { authenticateAdmin } from "../shopify.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  const message = admin.shop ? await getOutboxMessage(context.runtime.database.db, admin.shop, params.id ?? "") : null;
  if (!message) throw new Response("Not found", { status: 404 });
  return json({ message });
}

export default function OutboxMessagePage() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <Page title={message.subject} backAction={{ content: "Outbox", url: "/app/outbox" }} subtitle={`To ${message.to} · ${message.status}`}>
      <BlockStack gap="400">
        <Card>
          {/* The email as the shopper sees it; sandboxed so its links and markup stay inert here. */}
          <iframe title="Email" sandbox="" srcDoc={message.html} style={{ width: "100%", height: 640, border: 0 }} />
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">Headers</Text>
            <pre style={{ whiteSpace: "pre-wrap", fontSize: 12 }}>{Object.entries(message.headers).map(([k, v]) => `${k}: ${v}`).join("\n")}</pre>
            {message.raw ? <Text as="p" variant="bodySm" tone="subdued">Stored as .eml in the data directory's outbox folder.</Text> : null}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
