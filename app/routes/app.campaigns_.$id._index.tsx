import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, InlineStack, Page } from "@shopify/polaris";
import { useState } from "react";
import type { Campaign } from "@cartback/core/campaign/campaign";
import type { Db } from "@cartback/db";
import { type ActionResult, CampaignForm } from "../components/campaigns/CampaignEditor.tsx";
import { DeleteConfirm, IntentButton } from "../components/campaigns/CampaignList.tsx";
import { pageTitle } from "../components/title.ts";
import { campaignsAction } from "../server/campaigns/admin-actions.ts";
import { editorDiscounts } from "../server/campaigns/editor-loader.ts";
import { getCampaign } from "../server/campaigns/repository.ts";
import { authenticateAdmin } from "../shopify.server";

// One campaign's editor: /app/campaigns/<id>. An index route, so the designer
// (app.campaigns_.$id.$step.design.tsx) stays a sibling rather than a child; its forms post to
// /app/campaigns/<id>?index (Remix adds it), or to /app/campaigns, which takes the same intents.
// The trailing underscore keeps it out of the Campaigns list's layout (that page has no Outlet).
export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle(data?.campaign.name ?? "Campaign", "Campaigns");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  const campaign = admin.shop ? await getCampaign(context.runtime.database.db as Db, admin.shop, params.id ?? "") : null;
  if (!admin.shop || !campaign) throw new Response("No such campaign", { status: 404 });
  return json({ campaign, discounts: await editorDiscounts(request, context, { type: admin.type, shop: admin.shop }) });
}

export const action = campaignsAction;

export default function CampaignPage() {
  const { campaign: loaded, discounts } = useLoaderData<typeof loader>();
  const campaign = loaded as unknown as Campaign;
  const result = useActionData<typeof action>() as (ActionResult & { status?: string }) | undefined;
  const [deleting, setDeleting] = useState(false);
  return (
    <Page
      title={campaign.name}
      titleMetadata={<Badge tone={campaign.active ? "success" : undefined}>{campaign.active ? "Live" : "Paused"}</Badge>}
      backAction={{ content: "Campaigns", url: "/app/campaigns" }}
    >
      <BlockStack gap="400">
        <InlineStack gap="300">
          <IntentButton id={campaign.id} intent="duplicate" label="Duplicate" />
          <IntentButton id={campaign.id} intent={campaign.active ? "pause" : "resume"} label={campaign.active ? "Pause" : "Resume"} />
          <Button onClick={() => setDeleting(true)} tone="critical" variant="plain">Delete</Button>
        </InlineStack>
        {deleting ? <DeleteConfirm row={campaign} onCancel={() => setDeleting(false)} /> : null}
        {result?.error ? <Banner tone="critical" title="Not saved">{result.error.message}</Banner> : null}
        {result?.saved ? <Banner tone="success" title={result.status ?? "Saved"} /> : null}
        {/* Keyed by the saved state: a pause or resume shows the stored values, not stale form state. */}
        <CampaignForm key={`${campaign.id}-${campaign.active}`} campaign={campaign} result={result} discounts={discounts} />
      </BlockStack>
    </Page>
  );
}
