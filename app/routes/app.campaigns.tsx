import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { Campaign } from "@cartback/core/campaign/campaign";
import { ensureDefaultCampaign, listCampaigns, updateCampaign } from "../server/campaigns/repository.ts";
import { formatDuration } from "../server/cli/args.ts";
import { campaignPatch } from "../server/cli/campaign-flags.ts";
import { problem } from "../server/http.ts";
import { authenticateAdmin } from "../shopify.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return json({ shop: null, campaigns: [] as Campaign[] });
  const db = context.runtime.database.db;
  await ensureDefaultCampaign(db, admin.shop);
  return json({ shop: admin.shop, campaigns: await listCampaigns(db, admin.shop) });
}

// The form speaks the CLI's flag language (15m,24h · 2/24h · 21:00-08:00), so one parser serves both.
const FIELDS = ["steps", "cap", "quiet", "max-age", "cooldown", "empty-cart", "consent"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return problem(400, "no_shop", "connect a store first");
  const form = await request.formData();
  const id = String(form.get("id") ?? "");
  const flags = new Map<string, string>([["active", form.get("active") === "on" ? "true" : "false"]]);
  for (const field of FIELDS) {
    const value = String(form.get(field) ?? "").trim();
    if (value !== "") flags.set(field, value);
    else if (field === "cap" || field === "quiet") flags.set(field, "off");
  }
  const parsed = campaignPatch({ positional: [], flags });
  if (parsed.type === "invalid") return problem(400, "invalid_campaign", parsed.message, parsed.flag);
  const result = await updateCampaign(context.runtime.database.db, admin.shop, id, parsed.patch);
  switch (result.type) {
    case "ok":
      return json({ saved: result.campaign.id });
    case "not_found":
      return problem(404, "not_found", "no such campaign", "id");
    case "invalid":
      return problem(400, "invalid_campaign", result.message, result.field);
    default: {
      const unreachable: never = result;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}

function CampaignForm({ campaign }: { campaign: Campaign }) {
  const s = campaign.settings;
  const [active, setActive] = useState(campaign.active);
  const [steps, setSteps] = useState(campaign.steps.map((step) => formatDuration(step.delayMs)).join(","));
  const [cap, setCap] = useState(s.frequencyCap ? `${s.frequencyCap.count}/${formatDuration(s.frequencyCap.windowMs)}` : "");
  const [quiet, setQuiet] = useState(s.quietHours ? `${s.quietHours.start}-${s.quietHours.end}${s.quietHours.zone === "profile" ? "@profile" : ""}` : "");
  const [maxAge, setMaxAge] = useState(formatDuration(s.maxAgeMs));
  const [cooldown, setCooldown] = useState(formatDuration(s.cooldownMs));
  const [emptyCart, setEmptyCart] = useState<string>(s.emptyCart);
  const [consent, setConsent] = useState<string>(s.consent);
  const saving = useNavigation().state === "submitting";
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="id" value={campaign.id} />
        <FormLayout>
          <Text as="h2" variant="headingMd">{campaign.name}</Text>
          <Text as="p" tone="subdued">Trigger: {campaign.trigger} · ends on {campaign.inaction} · one email per step per episode</Text>
          <Checkbox label="Active" name="active" checked={active} onChange={setActive} />
          <TextField label="Steps (delay after the last cart change)" name="steps" value={steps} onChange={setSteps} autoComplete="off" helpText="e.g. 15m or 15m,24h" />
          <FormLayout.Group>
            <TextField label="Frequency cap per shopper" name="cap" value={cap} onChange={setCap} autoComplete="off" helpText="e.g. 2/24h; empty for none" />
            <TextField label="Quiet hours" name="quiet" value={quiet} onChange={setQuiet} autoComplete="off" helpText="e.g. 21:00-08:00 (shop time) or 21:00-08:00@profile" />
          </FormLayout.Group>
          <FormLayout.Group>
            <TextField label="Max age of an episode" name="max-age" value={maxAge} onChange={setMaxAge} autoComplete="off" />
            <TextField label="Cool-down between episodes" name="cooldown" value={cooldown} onChange={setCooldown} autoComplete="off" />
          </FormLayout.Group>
          <FormLayout.Group>
            <Select label="Empty cart at send time" name="empty-cart" value={emptyCart} onChange={setEmptyCart} options={[{ label: "Skip (default)", value: "skip" }, { label: "Send the empty-cart fallback", value: "send_fallback" }]} />
            <Select label="Consent" name="consent" value={consent} onChange={setConsent} options={[{ label: "Marketing or checkout opt-in", value: "marketing_or_checkout" }, { label: "Marketing subscribers only", value: "marketing" }, { label: "Any known address not opted out", value: "any_known" }]} />
          </FormLayout.Group>
          <Button submit variant="primary" loading={saving}>Save</Button>
        </FormLayout>
      </Form>
    </Card>
  );
}

export default function CampaignsPage() {
  const { shop, campaigns } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { saved?: string; error?: { field?: string; message: string } } | undefined;
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
        {result?.error ? <Banner tone="critical" title={`Not saved: ${result.error.field ?? ""}`}>{result.error.message}</Banner> : null}
        {result?.saved ? <Banner tone="success" title="Saved" /> : null}
        {(campaigns as unknown as Campaign[]).map((c) => (
          <CampaignForm key={c.id} campaign={c} />
        ))}
      </BlockStack>
    </Page>
  );
}
