import type { StepDiscount } from "@cartback/core/campaign/discount";
import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Checkbox, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

export interface DiscountFieldsProps {
  campaignId: string;
  index: number;
  discount: StepDiscount | undefined;
  /** The page's last error, when it was this step's discount form's. */
  error: { field?: string; message: string } | undefined;
  /** Embedded in Shopify without write_discounts granted: offer to grant it. */
  scopeMissing: boolean;
  /** The latest email of this campaign sent without its code, and why (the past week). */
  lastFailure: { at: string; why: string } | null;
}

const KINDS = [
  { label: "No discount", value: "none" },
  { label: "Percentage off", value: "percentage" },
  { label: "Fixed amount off", value: "fixed_amount" },
];

/**
 * One step's discount: a unique single-use code per email, created in Shopify just before the
 * email goes out (app/server/discounts). Saved on its own (intent "discount").
 */
export function DiscountFields({ campaignId, index, discount, error, scopeMissing, lastFailure }: DiscountFieldsProps) {
  const [kind, setKind] = useState<string>(discount?.kind ?? "none");
  const [value, setValue] = useState(discount ? (discount.kind === "percentage" ? String(discount.percent) : discount.amount) : "10");
  const [days, setDays] = useState(String(discount?.expiresAfterDays ?? 7));
  const [once, setOnce] = useState(discount?.oncePerCustomer ?? true);
  const saving = useNavigation().state === "submitting";
  const at = (name: string) => (error?.field === `steps.${index}.discount.${name}` ? error.message : undefined);
  const off = kind === "none";
  return (
    <BlockStack gap="200">
      <Form method="post">
        <input type="hidden" name="intent" value="discount" />
        <input type="hidden" name="id" value={campaignId} />
        <input type="hidden" name="step" value={String(index)} />
        <input type="hidden" name="discount-once" value={once ? "on" : "off"} />
        <FormLayout>
          <Text as="h4" variant="headingSm">Step {index + 1} discount code</Text>
          <FormLayout.Group>
            <Select label="Discount" name="discount-kind" options={KINDS} value={kind} onChange={setKind} error={at("kind")} />
            <TextField label={kind === "fixed_amount" ? "Amount (shop currency)" : "Percentage"} name="discount-value" value={value} onChange={setValue} autoComplete="off" disabled={off} error={at("value")} />
            <TextField label="Expires after (days)" name="discount-days" value={days} onChange={setDays} autoComplete="off" disabled={off} error={at("days")} />
          </FormLayout.Group>
          <Checkbox label="Once per customer" checked={once} onChange={setOnce} disabled={off} />
          <Text as="p" tone="subdued">
            Each email gets its own single-use code, created in Shopify only when the email is sent. Templates read it as {"{{ discount_code }}"} and{" "}
            {"{{ discount_description }}"}; the restore link applies it. If Shopify refuses the code, the email is sent without it.
          </Text>
          <Button submit loading={saving}>{`Save step ${index + 1} discount`}</Button>
        </FormLayout>
      </Form>
      {!off && scopeMissing ? (
        <Banner tone="warning" title="Cartback may not create discounts yet">
          <Form method="post" action="/app/scopes">
            <input type="hidden" name="scope" value="write_discounts" />
            <BlockStack gap="200">
              <Text as="p">Grant the write_discounts permission, or emails go out without their code.</Text>
              <div><Button submit>Grant access</Button></div>
            </BlockStack>
          </Form>
        </Banner>
      ) : null}
      {lastFailure ? (
        <Banner tone="warning" title="An email went out without its code">
          <Text as="p">{new Date(lastFailure.at).toLocaleString()}: {lastFailure.why}</Text>
        </Banner>
      ) : null}
    </BlockStack>
  );
}
