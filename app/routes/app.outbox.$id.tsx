import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { getOutboxMessage, type OutboxDecision } from "../server/campaigns/outbox-view.ts";
import { authenticateAdmin } from "../shopify.server";
import { SendStatus } from "../components/SendStatus.tsx";
import { pageTitle } from "../components/title.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle(data?.message.subject ?? "Email", "Outbox");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  const message = admin.shop ? await getOutboxMessage(context.runtime.database.db, admin.shop, params.id ?? "") : null;
  if (!message) throw new Response("Not found", { status: 404 });
  return json({ message });
}

const at = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

function decisionText(d: OutboxDecision): string {
  const reason = d.reason ? d.reason.replaceAll("_", " ") : null;
  return [d.outcome, reason, d.until ? `until ${at(d.until)}` : null, d.detail].filter(Boolean).join(" · ");
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <InlineStack gap="200" wrap={false} blockAlign="start">
      <div style={{ minWidth: 72 }}>
        <Text as="span" tone="subdued">{label}</Text>
      </div>
      <Text as="span" breakWord>{children}</Text>
    </InlineStack>
  );
}

export default function OutboxMessagePage() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <Page title={message.subject} backAction={{ content: "Outbox", url: "/app/outbox" }} titleMetadata={message.test ? <Badge tone="info">Test</Badge> : undefined}>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            <Field label="To">{message.to}</Field>
            <Field label="From">{message.from}</Field>
            {message.replyTo ? <Field label="Reply-to">{message.replyTo}</Field> : null}
            <Field label="Date">{at(message.sentAt ?? message.createdAt)}</Field>
            <Field label="Status">
              <SendStatus status={message.status} test={message.test} />
              {message.error ? ` ${message.error}` : ""}
            </Field>
            <Field label="Step">{message.step + 1}</Field>
            <Field label="Why">
              {message.test
                ? "A test send from the Campaigns page, to the address given there; not counted as a campaign email."
                : message.decisions.map(decisionText).join("; ") || "—"}
            </Field>
          </BlockStack>
        </Card>
        <Card padding="0">
          {/* The email as the shopper sees it; an empty sandbox keeps its scripts, forms and links inert. */}
          <iframe title="Email" sandbox="" srcDoc={message.html} style={{ width: "100%", height: 640, border: 0, display: "block" }} />
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">Headers</Text>
            <pre style={{ whiteSpace: "pre-wrap", wordBreak: "break-all", fontSize: 12, margin: 0 }}>
              {Object.entries(message.headers).map(([k, v]) => `${k}: ${v}`).join("\n")}
            </pre>
            {message.raw ? <Text as="p" variant="bodySm" tone="subdued">Stored as .eml in the data directory's outbox folder.</Text> : null}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
