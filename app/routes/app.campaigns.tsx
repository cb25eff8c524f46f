import { readFormBody } from "../server/http-body.ts";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { DEFAULT_TEMPLATE } from "@cartback/templates";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { Campaign } from "@cartback/core/campaign/campaign";
import { previewStep, type StepFormResult, saveCampaignSettings, saveStepTemplate, testSendStep } from "../server/campaigns/admin-form.ts";
import { lastDiscountFailures, saveStepDiscount } from "../server/discounts/discount-form.ts";
import { saveStepVariant } from "../server/campaigns/variant-form.ts";
import { VariantFields } from "../components/campaigns/VariantFields.tsx";
import { DiscountFields } from "../components/campaigns/DiscountFields.tsx";
import { ensureDefaultCampaign, listCampaigns } from "../server/campaigns/repository.ts";
import { formatDuration } from "../shared/durations.ts";
import { problem } from "../server/http.ts";
import { authenticateAdmin, missingOptionalScopes } from "../shopify.server";
import { pageTitle } from "../components/title.ts";

export const meta: MetaFunction = () => pageTitle("Campaigns");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return json({ shop: null, campaigns: [] as Campaign[], discounts: { scopeMissing: false, failures: {} as Record<string, { at: string; why: string }> } });
  const db = context.runtime.database.db;
  await ensureDefaultCampaign(db, admin.shop);
  // Discount fields: whether write_discounts is still to be granted (embedded), and the last code not attached.
  const scopeMissing = admin.type === "embedded" && (await missingOptionalScopes(request, context)).includes("write_discounts");
  const discounts = { scopeMissing, failures: await lastDiscountFailures(db, admin.shop, new Date()) };
  return json({ shop: admin.shop, campaigns: await listCampaigns(db, admin.shop), discounts });
}

function stepResponse(result: StepFormResult) {
  switch (result.type) {
    case "saved":
      return json({ saved: result.campaignId });
    case "preview":
      return json({ preview: result });
    case "test_sent":
      return json({ testSent: result });
    case "invalid":
      // Line and column travel with the field so the editor can point into the HTML.
      return json({ error: { code: "invalid_campaign", field: result.field, message: result.message, line: result.line, column: result.column } }, { status: 400 });
    case "not_found":
      return result.field === "id" ? problem(404, "not_found", result.message, "id") : problem(400, "not_found", result.message, result.field);
    case "failed":
      return problem(502, "send_failed", result.message);
    default: {
      const unreachable: never = result;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return problem(400, "no_shop", "connect a store first");
  // Three template fields of up to 200,000 characters each fit; anything larger is refused while reading.
  const body = await readFormBody(request, 1024 * 1024);
  if (body.type === "too_large") return problem(413, "body_too_large", `the form is over ${body.limit} bytes`, "form");
  if (body.type === "malformed") return problem(400, "malformed_form", body.message, "form");
  const { form } = body;
  const intent = String(form.get("intent") ?? "settings");
  switch (intent) {
    case "template":
      return stepResponse(await saveStepTemplate(context.runtime, admin.shop, form));
    case "preview":
      return stepResponse(await previewStep(context.runtime, admin.shop, form));
    case "test":
      return stepResponse(await testSendStep(context.runtime, admin.shop, form));
    case "settings":
      return stepResponse(await saveCampaignSettings(context.runtime, admin.shop, form));
    case "discount":
      return stepResponse(await saveStepDiscount(context.runtime, admin.shop, form));
    case "variant":
      return stepResponse(await saveStepVariant(context.runtime, admin.shop, form));
    default:
      return problem(400, "invalid_intent", "expected settings, template, preview, test, discount or variant", "intent");
  }
}

type ActionResult = { saved?: string; error?: { field?: string; message: string; line?: number; column?: number } } | undefined;

type DiscountState = { scopeMissing: boolean; failures: Record<string, { at: string; why: string }> };

function CampaignForm({ campaign, result, discounts }: { campaign: Campaign; result: ActionResult; discounts: DiscountState }) {
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

function StepTemplateEditor({ campaignId, index, template, error }: { campaignId: string; index: number; template: Campaign["steps"][number]["template"]; error: StepError }) {
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

export default function CampaignsPage() {
  const { shop, campaigns, discounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult;
  if (!shop) {
    return (
      <Page title="Campaigns">
        <Banner tone="warning" title="No store connected">Campaigns are per store. Connect a Shopify store first (see the Dashboard).</Banner>
      </Page>
    );
  }
  return (
    <Page title="Campaigns" subtitle="Abandoned-cart emails: Added to Cart with no Charged">
      <BlockStack gap="400">
        {result?.error ? <Banner tone="critical" title="Not saved">{result.error.message}</Banner> : null}
        {result?.saved ? <Banner tone="success" title="Saved" /> : null}
        {(campaigns as unknown as Campaign[]).map((c) => (
          <CampaignForm key={c.id} campaign={c} result={result} discounts={discounts} />
        ))}
      </BlockStack>
    </Page>
  );
}
