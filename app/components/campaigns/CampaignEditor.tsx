import { Form, useFetcher, useNavigation } from "@remix-run/react";
// The default-template module alone: the package index brings liquidjs and juice (server-side rendering) into the browser.
import { DEFAULT_TEMPLATE } from "@cartback/templates/default-template";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { Campaign } from "@cartback/core/campaign/campaign";
import { formatDuration } from "../../shared/durations.ts";
import { DiscountFields } from "./DiscountFields.tsx";
import { VariantFields } from "./VariantFields.tsx";

/**
 * One campaign's editor: its settings form, then per step the template editor (preview, test
 * send, the block designer's link), the discount and the A/B variant. Shown on the Campaigns
 * page when the shop has one campaign and on /app/campaigns/<id>; every form posts to the page
 * it is on (both pages take the same intents: app/server/campaigns/admin-actions.ts).
 */
export type ActionResult = { saved?: string; error?: { field?: string; message: string; line?: number; column?: number } } | undefined;

export type DiscountState = { scopeMissing: boolean; failures: Record<string, { at: string; why: string }> };

export function CampaignForm({ campaign, result, discounts }: { campaign: Campaign; result: ActionResult; discounts: DiscountState }) {
  const s = campaign.settings;
  const [active, setActive] = useState(campaign.active);
  const [steps, setSteps] = useState(campaign.steps.map((step) => formatDuration(step.delayMs)).join(","));
  const [cap, setCap] = useState(s.frequencyCap ? `${s.frequencyCap.count}/${formatDuration(s.frequencyCap.windowMs)}` : "");
  const [quiet, setQuiet] = useState(s.quietHours ? `${s.quietHours.start}-${s.quietHours.end}${s.quietHours.zone === "profile" ? "@profile" : ""}` : "");
  const [maxAge, setMaxAge] = useState(formatDuration(s.maxAgeMs));
  const [cooldown, setCooldown] = useState(formatDuration(s.cooldownMs));
  const [holdout, setHoldout] = useState(String(s.holdoutPercent));
  const [emptyCart, setEmptyCart] = useState<string>(s.emptyCart);
  const [consent, setConsent] = useState<string>(s.consent);
  const [catalog, setCatalog] = useState(s.catalogMapping.catalog);
  const [alias, setAlias] = useState(s.catalogMapping.alias ?? "");
  const [property, setProperty] = useState(s.catalogMapping.property);
  const saving = useNavigation().state === "submitting";
  const error = (input: string) => (result?.error?.field === input ? result.error.message : undefined);
  return (
    <Card>
      <BlockStack gap="600">
        <Form method="post">
          <input type="hidden" name="id" value={campaign.id} />
          <input type="hidden" name="intent" value="settings" />
          <FormLayout>
            <Text as="h2" variant="headingMd">{campaign.name}</Text>
            <Text as="p" tone="subdued">Trigger: {campaign.trigger} · ends on {campaign.inaction} · one email per step per episode</Text>
            {/* A Polaris Checkbox posts an empty value: the hidden input says on or off (parseToggle). */}
            <input type="hidden" name="active" value={active ? "on" : "off"} />
            <Checkbox label="Active" checked={active} onChange={setActive} error={error("active")} />
            <TextField label="Steps (delay after the last cart change)" name="steps" value={steps} onChange={setSteps} autoComplete="off" error={error("steps")} helpText="e.g. 15m or 15m,24h" />
            <FormLayout.Group>
              <TextField label="Frequency cap per shopper" name="cap" value={cap} onChange={setCap} autoComplete="off" error={error("cap")} helpText="e.g. 2/24h; empty for none" />
              <TextField label="Quiet hours" name="quiet" value={quiet} onChange={setQuiet} autoComplete="off" error={error("quiet")} helpText="e.g. 21:00-08:00 (shop time) or 21:00-08:00@profile" />
            </FormLayout.Group>
            <FormLayout.Group>
              <TextField label="Max age of an episode" name="max-age" value={maxAge} onChange={setMaxAge} autoComplete="off" error={error("max-age")} />
              <TextField label="Cool-down between episodes" name="cooldown" value={cooldown} onChange={setCooldown} autoComplete="off" error={error("cooldown")} />
            </FormLayout.Group>
            <TextField label="Holdout (% of carts not emailed)" name="holdout" value={holdout} onChange={setHoldout} autoComplete="off" error={error("holdout")} helpText="Those shoppers get no email, so Results can show how many orders the emails really added. 0 for none; 10 is common." />
            <FormLayout.Group>
              <Select label="Empty cart at send time" name="empty-cart" error={error("empty-cart")} value={emptyCart} onChange={setEmptyCart} options={[{ label: "Skip (default)", value: "skip" }, { label: "Send the empty-cart fallback", value: "send_fallback" }]} />
              <Select label="Consent" name="consent" error={error("consent")} value={consent} onChange={setConsent} options={[{ label: "Marketing or checkout opt-in", value: "marketing_or_checkout" }, { label: "Marketing subscribers only", value: "marketing" }, { label: "Any known address not opted out", value: "any_known" }]} />
            </FormLayout.Group>
            <Text as="h3" variant="headingSm">Personalization (catalog mapping)</Text>
            <FormLayout.Group>
              <TextField label="Profile property" name="property" value={property} onChange={setProperty} autoComplete="off" error={error("property")} helpText="The ids looked up in the catalog: shopify_cart_ids, the cart's variant ids" />
              <TextField label="Catalog" name="catalog" value={catalog} onChange={setCatalog} autoComplete="off" error={error("catalog")} helpText="shopify-catalog or a CSV catalog" />
              <TextField label="Alias in templates" name="alias" value={alias} onChange={setAlias} autoComplete="off" error={error("alias")} helpText="e.g. Samplecatalog1 for Catalog.Samplecatalog1" />
            </FormLayout.Group>
            <Button submit variant="primary" loading={saving}>Save</Button>
          </FormLayout>
        </Form>
        {campaign.steps.map((step, i) => (
          <BlockStack key={`step-${step.delayMs}`} gap="300">
          <StepTemplateEditor campaignId={campaign.id} index={i} template={step.template} error={result?.error} />
          <DiscountFields campaignId={campaign.id} index={i} discount={step.discount} error={result?.error} scopeMissing={discounts.scopeMissing} lastFailure={discounts.failures[campaign.id] ?? null} />
          <VariantFields campaignId={campaign.id} index={i} variantB={step.variantB} stepTemplate={step.template ?? DEFAULT_TEMPLATE} error={result?.error} />
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}

type StepError = NonNullable<ActionResult>["error"];
type FetcherData = { preview?: { subject: string; html: string; cart: string }; testSent?: { to: string }; error?: StepError };

/** "steps.0.template.html" → the message with its position, shown under that field. */
function errorFor(error: StepError, field: string): string | undefined {
  if (!error || error.field !== field) return undefined;
  return error.line !== undefined ? `${error.message} (line ${error.line}, column ${error.column})` : error.message;
}

export function StepTemplateEditor({ campaignId, index, template, error }: { campaignId: string; index: number; template: Campaign["steps"][number]["template"]; error: StepError }) {
  const base = template ?? DEFAULT_TEMPLATE;
  const [useDefault, setUseDefault] = useState(template === null);
  const [subject, setSubject] = useState(base.subject);
  const [preheader, setPreheader] = useState(base.preheader);
  const [html, setHtml] = useState(base.html);
  const [profile, setProfile] = useState("");
  const [to, setTo] = useState("");
  const preview = useFetcher<FetcherData>();
  const test = useFetcher<FetcherData>();
  // A save's error, else the last preview's or test's (they check the fields on screen the same way).
  const field = (name: string) => {
    const at = `steps.${index}.template.${name}`;
    return errorFor(error, at) ?? errorFor(preview.data?.error, at) ?? errorFor(test.data?.error, at);
  };
  // Preview and test send render the fields on screen, saved or not.
  const ask = (fetcher: typeof preview, intent: "preview" | "test") =>
    fetcher.submit({ intent, id: campaignId, step: String(index), profile, to, draft: "1", useDefault: useDefault ? "on" : "off", subject, preheader, html }, { method: "post" });
  return (
    <BlockStack gap="300">
      <Form method="post">
        <input type="hidden" name="intent" value="template" />
        <input type="hidden" name="id" value={campaignId} />
        <input type="hidden" name="step" value={String(index)} />
        <FormLayout>
          <Text as="h3" variant="headingSm">Step {index + 1} email · <a href={`/app/campaigns/${campaignId}/${index + 1}/design`}>Design with blocks</a></Text>
          <input type="hidden" name="useDefault" value={useDefault ? "on" : "off"} />
          <Checkbox label="Use default template" checked={useDefault} onChange={setUseDefault} />
          <TextField label="Subject" name="subject" value={subject} onChange={setSubject} autoComplete="off" disabled={useDefault} error={field("subject")} />
          <TextField label="Preheader" name="preheader" value={preheader} onChange={setPreheader} autoComplete="off" disabled={useDefault} error={field("preheader")} />
          <TextField label="HTML (Liquid)" name="html" value={html} onChange={setHtml} autoComplete="off" multiline={12} monospaced disabled={useDefault} error={field("html")} helpText="Catalog.<catalog or alias>, cart.items, customer, shop, recovery_url, unsubscribe_url" />
          <Button submit>Save step {String(index + 1)} template</Button>
        </FormLayout>
      </Form>
      <FormLayout>
        <FormLayout.Group>
          <TextField label="Preview with profile (id or email; empty for the sample cart)" value={profile} onChange={setProfile} autoComplete="off" error={preview.data?.error?.field === "profile" ? preview.data.error.message : undefined} />
          <TextField label="Send test to" type="email" value={to} onChange={setTo} autoComplete="off" error={test.data?.error?.field === "to" ? test.data.error.message : undefined} />
        </FormLayout.Group>
        <FormLayout.Group>
          <Button onClick={() => ask(preview, "preview")} loading={preview.state !== "idle"}>Preview</Button>
          <Button onClick={() => ask(test, "test")} loading={test.state !== "idle"}>Send test</Button>
        </FormLayout.Group>
        <Text as="p" tone="subdued">Preview and test send use the template as it is on screen; it is only saved with the Save button.</Text>
        {test.data?.testSent ? <Banner tone="success" title={`Test sent to ${test.data.testSent.to}`} /> : null}
        {test.data?.error && test.data.error.field !== "to" ? <Banner tone="critical" title="Test not sent">{test.data.error.message}</Banner> : null}
        {preview.data?.error && preview.data.error.field !== "profile" ? <Banner tone="critical" title="No preview">{preview.data.error.message}</Banner> : null}
      </FormLayout>
      {preview.data?.preview ? (
        <BlockStack gap="200">
          <Text as="p">Subject: {preview.data.preview.subject} ({preview.data.preview.cart} cart)</Text>
          {/* The email is merchant-written HTML: an empty sandbox runs none of its scripts or forms. */}
          <iframe title={`Step ${index + 1} preview`} sandbox="" srcDoc={preview.data.preview.html} style={{ width: "100%", height: 640, border: 0 }} />
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}
