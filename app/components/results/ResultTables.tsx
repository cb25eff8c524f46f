import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { Report } from "../../server/revenue/report.ts";

type Amount = (minor: number) => string;
const skippedTotal = (skipped: Record<string, number>) => Object.values(skipped).reduce((a, b) => a + b, 0);

/** One row a campaign: what it was given (abandoned carts), did (sent, skipped, held out) and brought back. */
export function CampaignTable({ campaigns, amount }: { campaigns: Report["campaigns"]; amount: Amount }) {
  return (
    <Card padding="0">
      <Box title="Per campaign">
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
          headings={["Campaign", "Abandoned", "Emails sent", "Skipped", "Held out", "Clicks", "Recovered orders", "Revenue"]}
          rows={[...campaigns].sort((a, b) => b.netRevenueMinor - a.netRevenueMinor || a.name.localeCompare(b.name)).map((c) => [c.name, c.abandoned, c.sent, skippedTotal(c.skipped) - c.holdout, c.holdout, c.clicks, c.recoveredOrders, amount(c.netRevenueMinor)])}
        />
      </Box>
    </Card>
  );
}

/** The per-day figures, newest first: the charts' table fallback (their aria-describedby). */
export function DailyTable({ days, amount, id }: { days: Report["days"]; amount: Amount; id: string }) {
  return (
    <Card padding="0">
      <div id={id}>
        <Box title="Per day">
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
            headings={["Day", "Abandoned", "Emails sent", "Skipped", "Held out", "Clicks", "Recovered orders", "Revenue"]}
            rows={[...days].reverse().map((d) => [d.day, d.abandoned, d.sent, skippedTotal(d.skipped) - d.holdout, d.holdout, d.clicks, d.recoveredOrders, amount(d.netRevenueMinor)])}
          />
        </Box>
      </div>
    </Card>
  );
}

/** Steps that came due and were not sent, by the reason recorded with each. */
export function SkippedCard({ skipped }: { skipped: Record<string, number> }) {
  const rows = Object.entries(skipped).sort(([, a], [, b]) => b - a);
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">Not sent, by reason</Text>
        {rows.length === 0 ? <Text as="p" tone="subdued">Nothing skipped.</Text> : <DataTable columnContentTypes={["text", "numeric"]} headings={["Reason", "Steps"]} rows={rows.map(([reason, n]) => [reason.replaceAll("_", " "), n])} />}
      </BlockStack>
    </Card>
  );
}

function Box({ title, children }: { title: string; children: ReactNode }) {
  return (
    <BlockStack gap="0">
      <div style={{ padding: "var(--p-space-400) var(--p-space-400) 0" }}>
        <Text as="h2" variant="headingMd">{title}</Text>
      </div>
      {children}
    </BlockStack>
  );
}
