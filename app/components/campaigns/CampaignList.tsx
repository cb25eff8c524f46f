import { Form, Link, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { formatDuration } from "../../shared/durations.ts";

export interface CampaignRow {
  id: string;
  name: string;
  active: boolean;
  delays: number[];
  sent30d: number;
}

type PageError = { field?: string; message: string } | undefined;

/** One row's buttons: each a small form posting an intent (works without JavaScript too). */
function RowActions({ row, onDelete }: { row: CampaignRow; onDelete: () => void }) {
  return (
    <InlineStack gap="200" wrap={false}>
      <Link to={`/app/campaigns/${row.id}`}>Edit</Link>
      <IntentButton id={row.id} intent="duplicate" label="Duplicate" />
      <IntentButton id={row.id} intent={row.active ? "pause" : "resume"} label={row.active ? "Pause" : "Resume"} />
      <Button onClick={onDelete} tone="critical" variant="plain" accessibilityLabel={`Delete ${row.name}`}>Delete</Button>
    </InlineStack>
  );
}

export function IntentButton({ id, intent, label }: { id: string; intent: string; label: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <Button submit variant="plain">{label}</Button>
    </Form>
  );
}

/** Deleting asks first: the campaign's open episodes end (their history stays on Results). */
export function DeleteConfirm({ row, onCancel }: { row: { id: string; name: string }; onCancel: () => void }) {
  return (
    <Banner tone="warning" title={`Delete ${row.name}?`}>
      <BlockStack gap="200">
        <Text as="p">It stops now: shoppers waiting for its emails get none. Its sent emails, decisions and results stay on the Results page.</Text>
        <Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="id" value={row.id} />
          <input type="hidden" name="confirm" value="delete" />
          <InlineStack gap="200">
            <Button submit tone="critical" variant="primary">Delete campaign</Button>
            <Button onClick={onCancel}>Cancel</Button>
          </InlineStack>
        </Form>
      </BlockStack>
    </Banner>
  );
}

/** The shop's campaigns: status, steps, emails sent in the last 30 days; create and the cross-campaign cap. */
export function CampaignList({ rows, crossCampaignCap, error }: { rows: CampaignRow[]; crossCampaignCap: string; error: PageError }) {
  const [deleting, setDeleting] = useState<CampaignRow | null>(null);
  const [name, setName] = useState("");
  const [cross, setCross] = useState(crossCampaignCap);
  const busy = useNavigation().state === "submitting";
  const table = rows.map((row) => [
    <Link key="name" to={`/app/campaigns/${row.id}`}>{row.name}</Link>,
    <Badge key="status" tone={row.active ? "success" : undefined}>{row.active ? "Live" : "Paused"}</Badge>,
    row.delays.map(formatDuration).join(", "),
    row.sent30d,
    <RowActions key="actions" row={row} onDelete={() => setDeleting(row)} />,
  ]);
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">Your campaigns</Text>
        {rows.length === 0 ? <Text as="p" tone="subdued">No campaigns: nothing is emailed. Create one below.</Text> : (
          <DataTable columnContentTypes={["text", "text", "text", "numeric", "text"]} headings={["Name", "Status", "Steps", "Emails sent (30 days)", ""]} rows={table} />
        )}
        {deleting ? <DeleteConfirm row={deleting} onCancel={() => setDeleting(null)} /> : null}
        <Form method="post">
          <input type="hidden" name="intent" value="create" />
          <FormLayout>
            <InlineStack gap="200" blockAlign="end">
              <TextField label="New campaign name" name="name" value={name} onChange={setName} autoComplete="off" error={error?.field === "name" ? error.message : undefined} helpText="Starts paused with one step at 15 minutes: set it up, then resume it." />
              <Button submit loading={busy}>Create campaign</Button>
            </InlineStack>
          </FormLayout>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="cross-campaign" />
          <FormLayout>
            <InlineStack gap="200" blockAlign="end">
              <Select
                label="Across campaigns"
                name="crossCampaignCap"
                value={cross}
                onChange={setCross}
                error={error?.field === "crossCampaignCap" ? error.message : undefined}
                helpText="With one email per cart, a shopper in several campaigns' audiences hears about a cart from the first campaign to email it; the others skip that cart."
                options={[{ label: "One email per cart across campaigns (default)", value: "one_per_cart" }, { label: "Each campaign emails on its own", value: "off" }]}
              />
              <Button submit>Save across campaigns</Button>
            </InlineStack>
          </FormLayout>
        </Form>
      </BlockStack>
    </Card>
  );
}
