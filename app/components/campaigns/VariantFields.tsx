import type { StepTemplate, StepVariant } from "@cartback/core/campaign/campaign";
import { Form, useFetcher, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Checkbox, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { formatDuration } from "../../shared/durations.ts";

export interface VariantFieldsProps {
  campaignId: string;
  index: number;
  variantB: StepVariant | undefined;
  /** What variant B's own email starts from when it has none yet: the step's template. */
  stepTemplate: StepTemplate;
  /** The page's last error, when it was this step's variant form's. */
  error: { field?: string; message: string; line?: number; column?: number } | undefined;
}

const EMAILS = [
  { label: "Its own email (below)", value: "own" },
  { label: "The step's email (test the delay only)", value: "same" },
];

/**
 * "Add variant B" to a step: a second email and/or a second delay for a share of carts, chosen
 * per cart by a hash (core campaign/variant.ts). Results compares the variants by recovered
 * orders and revenue per recipient, never by opens. Saved on its own (intent "variant").
 */
export function VariantFields({ campaignId, index, variantB, stepTemplate, error }: VariantFieldsProps) {
  const start = variantB?.template ?? stepTemplate;
  const [enabled, setEnabled] = useState(variantB !== undefined);
  const [which, setWhich] = useState(variantB && variantB.template === null ? "same" : "own");
  const [subject, setSubject] = useState(start.subject);
  const [preheader, setPreheader] = useState(start.preheader);
  const [html, setHtml] = useState(start.html);
  const [delay, setDelay] = useState(variantB?.delayMs ? formatDuration(variantB.delayMs) : "");
  const [percent, setPercent] = useState(String(variantB?.percent ?? 50));
  const saving = useNavigation().state === "submitting";
  // Variant B's email as it is on screen, through the step's preview (the sample cart).
  const preview = useFetcher<{ preview?: { subject: string; html: string }; error?: { message: string } }>();
  const showPreview = () => preview.submit({ intent: "preview", id: campaignId, step: String(index), draft: "1", useDefault: "off", subject, preheader, html }, { method: "post" });
  const at = (name: string) => {
    if (error?.field !== `steps.${index}.variantB.${name}`) return undefined;
    return error.line !== undefined ? `${error.message} (line ${error.line}, column ${error.column})` : error.message;
  };
  const own = which === "own";
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="variant" />
      <input type="hidden" name="id" value={campaignId} />
      <input type="hidden" name="step" value={String(index)} />
      <input type="hidden" name="variant" value={enabled ? "on" : "off"} />
      <FormLayout>
        <Text as="h4" variant="headingSm">Step {index + 1} A/B test</Text>
        <Checkbox label="Add variant B" checked={enabled} onChange={setEnabled} error={at("enabled") ?? (error?.field === `steps.${index}.variantB` ? error.message : undefined)} helpText="A share of carts gets variant B instead of this step's email or delay. Results compares recovered orders and revenue per recipient; opens are not counted (image proxies open every email)." />
        {enabled ? (
          <BlockStack gap="300">
            <FormLayout.Group>
              <TextField label="Variant B share (%)" name="variant-percent" value={percent} onChange={setPercent} autoComplete="off" error={at("percent")} helpText="50 splits carts evenly" />
              <TextField label="Variant B delay" name="variant-delay" value={delay} onChange={setDelay} autoComplete="off" error={at("delayMs")} helpText="e.g. 1h; empty for the step's own delay" />
              <Select label="Variant B email" name="variant-template" options={EMAILS} value={which} onChange={setWhich} error={at("template")} />
            </FormLayout.Group>
            {own ? (
              <>
                <TextField label="Variant B subject" name="variant-subject" value={subject} onChange={setSubject} autoComplete="off" error={at("template.subject")} />
                <TextField label="Variant B preheader" name="variant-preheader" value={preheader} onChange={setPreheader} autoComplete="off" error={at("template.preheader")} />
                <TextField label="Variant B HTML (Liquid)" name="variant-html" value={html} onChange={setHtml} autoComplete="off" multiline={8} monospaced error={at("template.html")} />
                <div><Button onClick={showPreview} loading={preview.state !== "idle"}>Preview variant B</Button></div>
                {preview.data?.error ? <Text as="p" tone="critical">{preview.data.error.message}</Text> : null}
                {preview.data?.preview ? (
                  <BlockStack gap="200">
                    <Text as="p">Subject: {preview.data.preview.subject}</Text>
                    {/* Merchant-written HTML: an empty sandbox runs none of its scripts or forms. */}
                    <iframe title={`Step ${index + 1} variant B preview`} sandbox="" srcDoc={preview.data.preview.html} style={{ width: "100%", height: 480, border: 0 }} />
                  </BlockStack>
                ) : null}
              </>
            ) : null}
          </BlockStack>
        ) : null}
        <Button submit loading={saving}>{`Save step ${index + 1} A/B test`}</Button>
      </FormLayout>
    </Form>
  );
}
