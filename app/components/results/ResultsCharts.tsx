import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import type { Report } from "../../server/revenue/report.ts";
import { everyDay } from "./chart-scale.ts";
import { DayChart } from "./DayChart.tsx";

type Day = Report["days"][number];

const count = (v: number) => (Number.isInteger(v) ? v.toLocaleString("en-US") : v.toFixed(1));
const COUNTS: Array<{ title: string; color: string; pick: (d: Day) => number }> = [
  { title: "Carts abandoned", color: "#8a8a8a", pick: (d) => d.abandoned },
  { title: "Emails sent", color: "#2c6ecb", pick: (d) => d.sent },
  { title: "Clicks", color: "#b98900", pick: (d) => d.clicks },
  { title: "Recovered orders", color: "#008060", pick: (d) => d.recoveredOrders },
];

/** Per-day revenue and activity over the period, quiet days included (the report lists only days with data). */
export function ResultsCharts({ from, to, days, amount, tableId }: { from: string; to: string; days: Day[]; amount: (minor: number) => string; tableId: string }) {
  const labels = everyDay(from, to);
  const byDay = new Map(days.map((d) => [d.day, d]));
  const values = (pick: (d: Day) => number) => labels.map((day) => {
    const found = byDay.get(day);
    return found ? pick(found) : 0;
  });
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">Day by day</Text>
        <DayChart title="Recovered revenue" days={labels} values={values((d) => d.netRevenueMinor)} color="#008060" format={amount} tableId={tableId} width={900} height={220} />
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          {COUNTS.map((c) => <DayChart key={c.title} title={c.title} days={labels} values={values(c.pick)} color={c.color} format={count} tableId={tableId} width={400} height={180} />)}
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
