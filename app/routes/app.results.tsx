import { formatMoney } from "@cartback/core/money-format";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, isRouteErrorResponse, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, InlineGrid, InlineStack, Layout, Page, SkeletonBodyText, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { Empty } from "../components/Empty.tsx";
import { Funnel } from "../components/results/Funnel.tsx";
import { AbTable } from "../components/results/AbTable.tsx";
import { LiftCard } from "../components/results/LiftCard.tsx";
import { CampaignTable, DailyTable, SkippedCard } from "../components/results/ResultTables.tsx";
import { RulesCard } from "../components/results/RulesCard.tsx";
import { ResultsCharts } from "../components/results/ResultsCharts.tsx";
import { pageTitle } from "../components/title.ts";
import { problem } from "../server/http.ts";
import { readFormBody } from "../server/http-body.ts";
import { resultsPage } from "../server/revenue/results-page.ts";
import { saveRevenueSettings } from "../server/revenue/settings.ts";
import { authenticateAdmin } from "../shopify.server";

const PERIODS = [7, 30, 90] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return json({ shop: null, days: 30, report: null, money: null, settings: null, ab: [] });
  const asked = Number(new URL(request.url).searchParams.get("days"));
  const days = (PERIODS as readonly number[]).includes(asked) ? asked : 30;
  const db = context.runtime.database.db;
  const { report, money, settings, ab } = await resultsPage(db, admin.shop, { days, now: new Date() });
  return json({ shop: admin.shop, days, report, money, settings, ab });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return problem(400, "no_shop", "connect a store first");
  const body = await readFormBody(request);
  if (body.type === "too_large") return problem(413, "body_too_large", `the form is over ${body.limit} bytes`);
  if (body.type !== "ok") return problem(400, "invalid_form", "the form could not be read");
  const windowText = String(body.form.get("attributionWindowDays") ?? "");
  const saved = await saveRevenueSettings(context.runtime.database.db, admin.shop, {
    clickTracking: body.form.get("clickTracking") === "on",
    // Whole numbers of any size reach the schema, which names the allowed range; anything else is not a number.
    attributionWindowDays: /^\s*-?\d{1,12}\s*$/.test(windowText) ? Number(windowText) : Number.NaN,
  });
  if (saved.type === "invalid") return json({ error: { field: saved.field, message: saved.message } }, { status: 400 });
  if (saved.type === "unknown_shop") return problem(404, "unknown_shop", "this store is not installed");
  return json({ error: null });
}

export const meta: MetaFunction = () => pageTitle("Results");

export default function ResultsPage() {
  const { shop, days, report, money, settings, ab } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  if (!shop || !report || !money || !settings) {
    return (
      <Page title="Results">
        <Banner tone="warning" title="No store connected">Connect a Shopify store first (see the Dashboard).</Banner>
      </Page>
    );
  }
  const amount = (minor: number) => formatMoney(minor, report.currency, money);
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/results";
  const t = report.totals;
  const periodLinks = PERIODS.map((p) => (p === days ? <Text as="span" key={p} fontWeight="bold">{p} days</Text> : <Link key={p} to={`/app/results?days=${p}`}>{p} days</Link>));
  return (
    <Page title="Results" subtitle={`${report.from} to ${report.to} (${report.timezone}) · ${report.currency}`}>
      <BlockStack gap="400">
        <InlineStack gap="300">{periodLinks}</InlineStack>
        {loading ? (
          <Card><SkeletonBodyText lines={6} /></Card>
        ) : t.abandoned === 0 && t.sent === 0 && t.recoveredOrders === 0 ? (
          <Card><Empty heading="No results yet">Abandoned carts, emails, clicks and recovered orders appear here once shoppers leave carts behind and campaign steps come due.</Empty></Card>
        ) : (
          <Layout>
            <Layout.Section>
              <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
                <Figure label="Recovered revenue" value={amount(t.netRevenueMinor)} note={t.refundedMinor > 0 ? `after ${amount(t.refundedMinor)} refunded` : "net of refunds"} id="revenue" />
                <Figure label="Recovered orders" value={String(t.recoveredOrders)} id="orders" />
                <Figure label="Emails sent" value={String(t.sent)} id="sent" />
                <Figure label="Clicks" value={String(t.clicks)} note={`${t.clickedEpisodes} carts clicked`} id="clicks" />
              </InlineGrid>
            </Layout.Section>
            <Layout.Section variant="oneHalf">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">Funnel</Text>
                  <Funnel steps={[{ label: "Abandoned", value: report.funnel.abandoned }, { label: "Emailed", value: report.funnel.emailed }, { label: "Clicked", value: report.funnel.clicked }, { label: "Recovered", value: report.funnel.recovered }]} />
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section variant="oneHalf">
              <BlockStack gap="400">
                <LiftCard lift={report.lift} />
                <SkippedCard skipped={t.skipped} />
                <RulesCard rules={report.rules} amount={amount} />
              </BlockStack>
            </Layout.Section>
            <Layout.Section>
              <ResultsCharts from={report.from} to={report.to} days={report.days} amount={amount} tableId="results-per-day" />
            </Layout.Section>
            <Layout.Section>
              <CampaignTable campaigns={report.campaigns} amount={amount} />
            </Layout.Section>
            <Layout.Section>
              <DailyTable days={report.days} amount={amount} id="results-per-day" />
            </Layout.Section>
            <Layout.Section>
              <AbTable steps={ab} amount={amount} />
            </Layout.Section>
          </Layout>
        )}
        {report.otherCurrencyOrders > 0 ? <Banner tone="info">{report.otherCurrencyOrders} recovered order(s) in another currency or without a known amount are counted but not added to the revenue.</Banner> : null}
        <TrackingSettings settings={settings} />
      </BlockStack>
    </Page>
  );
}

function Figure({ label, value, note, id }: { label: string; value: string; note?: string; id: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">{label}</Text>
        <Text as="p" variant="headingLg"><span data-figure={id}>{value}</span></Text>
        {note ? <Text as="p" variant="bodySm" tone="subdued">{note}</Text> : null}
      </BlockStack>
    </Card>
  );
}

function TrackingSettings({ settings }: { settings: { clickTracking: boolean; attributionWindowDays: number } }) {
  const result = useActionData<typeof action>() as { error: { field: string; message: string } | null } | undefined;
  const [clickTracking, setClickTracking] = useState(settings.clickTracking);
  const [windowDays, setWindowDays] = useState(String(settings.attributionWindowDays));
  return (
    <Card>
      <Form method="post">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">Tracking</Text>
          <Checkbox label="Track clicks on the email's links to the store" helpText="The restore-cart link always goes through Cartback so the click is counted; this also counts the email's other links to your store." checked={clickTracking} onChange={setClickTracking} />
          <input type="hidden" name="clickTracking" value={clickTracking ? "on" : "off"} />
          <TextField label="Attribution window (days)" type="number" name="attributionWindowDays" value={windowDays} onChange={setWindowDays} autoComplete="off" helpText="An order within this many days of a click on an email counts as recovered by it. Orders from the emailed cart itself always count." error={result?.error?.field === "attributionWindowDays" ? result.error.message : undefined} />
          <InlineStack><Button submit>Save</Button></InlineStack>
          {result && !result.error ? <Text as="p" tone="success">Saved.</Text> : null}
        </BlockStack>
      </Form>
    </Card>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return (
    <Page title="Results">
      <Banner tone="critical" title="The results could not be loaded">{isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : "Try again in a moment; if it persists, check the server log."}</Banner>
    </Page>
  );
}
