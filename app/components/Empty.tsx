import { BlockStack, Box, Text } from "@shopify/polaris";

/**
 * An empty list: a heading and a line of help. Polaris' EmptyState wants an illustration and,
 * given none, draws a loading circle over its own text.
 */
export function Empty({ heading, children }: { heading: string; children: React.ReactNode }) {
  return (
    <Box padding="800">
      <BlockStack gap="200" inlineAlign="center">
        <Text as="h2" variant="headingMd" alignment="center">{heading}</Text>
        <Text as="p" tone="subdued" alignment="center">{children}</Text>
      </BlockStack>
    </Box>
  );
}
