import { BlockStack, Box, InlineStack, Text } from "@shopify/polaris";

export interface FunnelStep {
  label: string;
  value: number;
}

/** The funnel as plain bars (widths relative to the first step): no chart library for four numbers. */
export function Funnel({ steps }: { steps: FunnelStep[] }) {
  const top = Math.max(1, steps[0]?.value ?? 0);
  return (
    <BlockStack gap="300">
      {steps.map((step, index) => {
        const previous = index > 0 ? steps[index - 1]!.value : null;
        const share = previous ? ` (${((step.value / previous) * 100).toFixed(1)} % of ${steps[index - 1]!.label.toLowerCase()})` : "";
        return (
          <BlockStack gap="100" key={step.label}>
            <InlineStack align="space-between">
              <Text as="span" variant="bodyMd">{step.label}</Text>
              <Text as="span" variant="bodyMd" fontWeight="semibold"><span data-funnel-step={step.label}>{step.value.toLocaleString("en-US")}</span>{share}</Text>
            </InlineStack>
            <Box background="bg-fill-secondary" borderRadius="100" minHeight="12px">
              <div style={{ width: `${(step.value / top) * 100}%`, minHeight: 12, borderRadius: 4, background: "var(--p-color-bg-fill-brand)" }} />
            </Box>
          </BlockStack>
        );
      })}
    </BlockStack>
  );
}
