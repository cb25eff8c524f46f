import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { SetupStep } from "../server/setup.ts";

export function SetupChecklist({ steps }: { steps: SetupStep[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Setup
        </Text>
        {steps.map((step) => (
          <BlockStack key={step.id} gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Badge tone={step.done ? "success" : "attention"}>{step.done ? "Done" : "To do"}</Badge>
              <Text as="h3" variant="headingSm">
                {step.title}
              </Text>
            </InlineStack>
            <Text as="p" tone="subdued">
              {step.detail}
            </Text>
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
