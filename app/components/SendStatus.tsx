import { Badge, InlineStack } from "@shopify/polaris";

const TONE = { sent: "success", failed: "critical", retry: "warning", sending: "info", cancelled: undefined } as const;

/** An outbox row's status, and a "Test" badge for test sends from the Campaigns page. */
export function SendStatus({ status, test }: { status: string; test: boolean }) {
  return (
    <InlineStack gap="100">
      <Badge tone={TONE[status as keyof typeof TONE]}>{status}</Badge>
      {test ? <Badge tone="info">Test</Badge> : null}
    </InlineStack>
  );
}
