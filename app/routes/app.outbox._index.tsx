import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Banner, Card, IndexTable, Page, Text } from "@shopify/polaris";
import { Empty } from "../components/Empty.tsx";
import { SendStatus } from "../components/SendStatus.tsx";
import { listOutbox } from "../server/campaigns/outbox-view.ts";
import { authenticateAdmin } from "../shopify.server";
import { pageTitle } from "../components/title.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return json({ shop: null, rows: [], smtp: Boolean(context.runtime.config.smtpUrl) });
  return json({ shop: admin.shop, rows: await listOutbox(context.runtime.database.db, admin.shop, 100), smtp: Boolean(context.runtime.config.smtpUrl) });
}

export const meta: MetaFunction = () => pageTitle("Outbox");


export default function OutboxPage() {
  const { shop, rows, smtp } = useLoaderData<typeof loader>();
  if (!shop) {
    return (
      <Page title="Outbox">
        <Banner tone="warning" title="No store connected">Connect a Shopify store first (see the Dashboard).</Banner>
      </Page>
    );
  }
  return (
    <Page title="Outbox" subtitle={smtp ? "Emails sent through SMTP_URL" : "No SMTP_URL: emails are kept here (and as .eml files) instead of being sent"}>
      <Card padding="0">
        {rows.length === 0 ? (
          <Empty heading="No emails yet">Abandoned-cart emails appear here when a step comes due, and test sends from the Campaigns page as soon as they go out.</Empty>
        ) : (
          <IndexTable resourceName={{ singular: "email", plural: "emails" }} itemCount={rows.length} selectable={false} headings={[{ title: "Created" }, { title: "Subject" }, { title: "To" }, { title: "Step" }, { title: "Status" }]}>
            {rows.map((row, index) => (
              <IndexTable.Row id={row.id} key={row.id} position={index}>
                <IndexTable.Cell>{new Date(row.createdAt).toLocaleString()}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Link to={`/app/outbox/${encodeURIComponent(row.id)}`}>{row.subject || "(no subject)"}</Link>
                </IndexTable.Cell>
                <IndexTable.Cell>{row.to}</IndexTable.Cell>
                <IndexTable.Cell>{row.step + 1}</IndexTable.Cell>
                <IndexTable.Cell>
                  <SendStatus status={row.status} test={row.test} />
                  {row.error ? <Text as="p" variant="bodySm" tone="critical">{row.error}</Text> : null}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
