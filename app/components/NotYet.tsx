import { BlockStack, Card, Page, Text } from "@shopify/polaris";

/** A page whose feature has not landed yet: it renders, and says what will be here. */
export function NotYet({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Page title={title}>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Not yet available
          </Text>
          <Text as="p" tone="subdued">
            {children}
          </Text>
        </BlockStack>
      </Card>
    </Page>
  );
}
