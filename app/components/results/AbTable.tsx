import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";

interface Sample {
  recipients: number;
  converted: number;
  orders: number;
  revenueMinor: number;
}

interface Difference {
  difference: number;
  interval: [number, number];
}

/** What app/server/revenue/ab-report.ts returns, as the loader serialises it. */
export interface AbStepView {
  campaignId: string;
  name: string;
  step: number;
  a: Sample;
  b: Sample;
  result: { conversion: Difference | null; revenuePerRecipient: Difference | null; winner: "A" | "B" | null };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const points = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} pts`;

/** Each A/B-tested step: per variant recipients, orders and revenue; the intervals; a winner only when money says so. */
export function AbTable({ steps, amount }: { steps: AbStepView[]; amount: (minor: number) => string }) {
  if (steps.length === 0) return null;
  const signed = (minor: number) => `${minor >= 0 ? "+" : "−"}${amount(Math.abs(Math.round(minor)))}`;
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">A/B tests</Text>
        <Text as="p" tone="subdued">
          Judged by recovered orders and revenue per recipient, never by opens or clicks. A winner is named only when the 95 % interval of the revenue difference excludes zero (and each variant has 30 recipients or more).
        </Text>
        {steps.map((s) => {
          const key = `${s.campaignId}:${s.step}`;
          const row = (label: "A" | "B", v: Sample) => {
            const cell = (metric: string, value: string | number) => <span data-ab-cell={`${key}:${label}:${metric}`}>{value}</span>;
            return [`Variant ${label}`, cell("recipients", v.recipients), cell("orders", v.orders), cell("rate", pct(v.recipients ? v.converted / v.recipients : 0)), cell("revenue", amount(v.revenueMinor)), cell("per-recipient", amount(v.recipients ? Math.round(v.revenueMinor / v.recipients) : 0))];
          };
          const { conversion, revenuePerRecipient, winner } = s.result;
          return (
            <BlockStack gap="200" key={key}>
              <Text as="h3" variant="headingSm">{s.name} · step {s.step + 1}</Text>
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                headings={["Variant", "Recipients", "Recovered orders", "Carts recovered", "Revenue", "Revenue per recipient"]}
                rows={[row("A", s.a), row("B", s.b)]}
              />
              {revenuePerRecipient && conversion ? (
                <Text as="p">
                  Revenue per recipient, B − A: {signed(revenuePerRecipient.difference)} (95 % interval {signed(revenuePerRecipient.interval[0])} to {signed(revenuePerRecipient.interval[1])}). Carts recovered, B − A: {points(conversion.difference)} ({points(conversion.interval[0])} to {points(conversion.interval[1])}).
                </Text>
              ) : (
                <Text as="p" tone="subdued">Not enough recipients for an interval yet.</Text>
              )}
              <Text as="p" fontWeight="semibold">
                <span data-ab-verdict={key}>{winner ? `Variant ${winner} brings more revenue per recipient.` : "No winner yet."}</span>
              </Text>
            </BlockStack>
          );
        })}
      </BlockStack>
    </Card>
  );
}
