import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";

/** What app/server/revenue/rule-counts.ts returns, as the loader serialises it. */
export interface RuleView {
  rule: string;
  orders: number;
  revenueMinor: number;
  refundedMinor: number;
  netRevenueMinor: number;
}

/** Each attribution rule in the merchant's words: why an order counts as recovered. */
export const RULE_LABELS: Record<string, string> = {
  discount_code: "Used the email's discount code",
  cart_token: "Ordered from the emailed cart",
  checkout_token: "Completed the emailed checkout",
  click: "Clicked the email, then ordered within the attribution window",
};

/** Recovered orders and net revenue by the rule that credited them, strongest evidence first. */
export function RulesCard({ rules, amount }: { rules: RuleView[]; amount: (minor: number) => string }) {
  if (rules.length === 0) return null;
  const cell = (rule: string, metric: string, value: string | number) => <span data-rule-cell={`${rule}:${metric}`}>{value}</span>;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">Recovered by attribution rule</Text>
        <Text as="p" tone="subdued">Each recovered order is credited once, by the first rule that matches it in this order. Revenue is net of refunds made in the period.</Text>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric"]}
          headings={["Rule", "Recovered orders", "Revenue"]}
          rows={rules.map((r) => [RULE_LABELS[r.rule] ?? r.rule, cell(r.rule, "orders", r.orders), cell(r.rule, "revenue", amount(r.netRevenueMinor))])}
        />
      </BlockStack>
    </Card>
  );
}
