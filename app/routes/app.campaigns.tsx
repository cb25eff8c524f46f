import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Page } from "@shopify/polaris";
import type { Campaign } from "@cartback/core/campaign/campaign";
import type { Db } from "@cartback/db";
import { type ActionResult, CampaignForm } from "../components/campaigns/CampaignEditor.tsx";
import { CampaignList } from "../components/campaigns/CampaignList.tsx";
import { NoStore } from "../components/NoStore.tsx";
import { pageTitle } from "../components/title.ts";
import { campaignsAction } from "../server/campaigns/admin-actions.ts";
import { getCrossCampaignCap } from "../server/campaigns/cross-campaign.ts";
import { NO_DISCOUNTS, editorDiscounts } from "../server/campaigns/editor-loader.ts";
import { campaignList, seedDefaultCampaign } from "../server/campaigns/lifecycle.ts";
import { authenticateAdmin } from "../shopify.server";

export const meta: MetaFunction = () => pageTitle("Campaigns");

// The list of the shop's campaigns; with a single campaign its editor is on this page too
// (each campaign's own page is /app/campaigns/<id>, app.campaigns_.$id._index.tsx).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return json({ shop: null, campaigns: [] as Campaign[], list: [], crossCampaignCap: "one_per_cart", discounts: NO_DISCOUNTS });
  const db = context.runtime.database.db as Db;
  await seedDefaultCampaign(db, admin.shop);
  const items = await campaignList(db, admin.shop);
  const campaigns = items.map((i) => i.campaign);
  const list = items.map(({ campaign: c, sent30d }) => ({ id: c.id, name: c.name, active: c.active, delays: c.steps.map((s) => s.delayMs), sent30d }));
  const discounts = campaigns.length === 1 ? await editorDiscounts(request, context, { type: admin.type, shop: admin.shop }) : NO_DISCOUNTS;
  return json({ shop: admin.shop, campaigns, list, crossCampaignCap: await getCrossCampaignCap(db, admin.shop), discounts });
}

export const action = campaignsAction;

type ListResult = ActionResult & { status?: string };

export default function CampaignsPage() {
  const { shop, campaigns, list, crossCampaignCap, discounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ListResult;
  const [params] = useSearchParams();
  if (!shop) return <NoStore title="Campaigns" what="Campaigns" />;
  const only = campaigns.length === 1 ? (campaigns[0] as unknown as Campaign) : null;
  return (
    <Page title="Campaigns" subtitle="Abandoned-cart emails: Added to Cart with no Charged">
      <BlockStack gap="400">
        {result?.error ? <Banner tone="critical" title="Not saved">{result.error.message}</Banner> : null}
        {result?.saved ? <Banner tone="success" title={result.status ?? "Saved"} /> : null}
        {params.get("deleted") ? <Banner tone="info" title={`Deleted ${params.get("deleted")}`} /> : null}
        <CampaignList rows={list} crossCampaignCap={crossCampaignCap} error={result?.error} />
        {only ? <CampaignForm key={only.id} campaign={only} result={result} discounts={discounts} /> : null}
      </BlockStack>
    </Page>
  );
}
