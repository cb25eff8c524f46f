import { BlockStack, Card, Text } from "@shopify/polaris";

interface LiftView {
  emailed: { episodes: number; converted: number };
  holdout: { episodes: number; converted: number };
  result: { emailedRate: number; holdoutRate: number; difference: number; interval: [number, number]; relative: number | null } | null;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const points = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} pts`;

/** What email adds over no email: honest about when the data cannot tell. */
export function LiftCard({ lift }: { lift: LiftView }) {
  const { result } = lift;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">Holdout lift</Text>
        {result === null ? (
          <Text as="p" tone="subdued">
            No holdout to compare with yet. Hold out a share of episodes (for example 10 %) in a campaign's settings: those shoppers get no email, and the difference in orders is what the emails brought.
          </Text>
        ) : (
          <BlockStack gap="100">
            <Text as="p">
              Emailed carts ordered {pct(result.emailedRate)} of the time ({lift.emailed.converted} of {lift.emailed.episodes}); held-out carts {pct(result.holdoutRate)} ({lift.holdout.converted} of {lift.holdout.episodes}).
            </Text>
            <Text as="p" fontWeight="semibold">
              Lift {points(result.difference)}, 95 % interval {points(result.interval[0])} to {points(result.interval[1])}
              {result.interval[0] <= 0 && result.interval[1] >= 0 ? " — not yet distinguishable from no effect." : "."}
            </Text>
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
