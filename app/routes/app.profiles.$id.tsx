import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { formatMoney } from "@cartback/core/money-format";
import type { Db } from "@cartback/db";
import { suppressionsOf } from "../server/campaigns/suppressions.ts";
import { profileView, type TimelineEntry } from "../server/profile-views/timeline.ts";
import { shopMoney } from "../server/shops/shop-money.ts";
import { authenticateAdmin } from "../shopify.server";
import { pageTitle } from "../components/title.ts";

// The title names no shopper: browser history and shared screens should not list addresses.
export const meta: MetaFunction = () => pageTitle("Profile");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  const { db } = context.runtime.database;
  const view = admin.shop ? await profileView(db, admin.shop, params.id ?? "") : null;
  if (!view || !admin.shop) throw new Response("No such profile in this store", { status: 404 });
  // Prices as the shop prints them (JPY without decimals, KWD from three minor digits, its separators).
  const money = await shopMoney(db, admin.shop);
  const prices = view.state.cart.map((line) => (line.unitPrice === null ? "—" : formatMoney(line.unitPrice, line.currency ?? money.currency, money)));
  return json({ ...view, prices, stopped: await stoppedAddresses(db, admin.shop, view.identities) });
}

const STOP_REASON: Record<string, string> = {
  unsubscribed: "unsubscribed through an email's link",
  hard_bounce: "the address bounced",
  manual: "stopped by the store",
};

/** The profile's addresses that get no more cart emails (suppressions), with why and since when. */
async function stoppedAddresses(db: Db, shop: string, identities: string[]) {
  const emails = identities.filter((key) => key.startsWith("email:")).map((key) => key.slice("email:".length));
  const rows = await suppressionsOf(db, shop, emails);
  return rows.map((row) => ({ email: row.email, why: STOP_REASON[row.reason] ?? row.reason, at: row.createdAt.toISOString() }));
}

const OUTCOME_TONE: Record<string, "success" | "critical" | "attention" | "info" | undefined> = {
  sent: "success",
  failed: "critical",
  skipped: "attention",
  deferred: "info",
};

function describe(entry: TimelineEntry): string {
  if (entry.kind === "event") {
    const line = entry.detail.line as { variantId?: string; quantity?: number } | undefined;
    const lines = entry.detail.lines as unknown[] | undefined;
    if (line) return `variant ${line.variantId} × ${line.quantity ?? "all"}`;
    if (lines) return `${lines.length} line(s)`;
    return "";
  }
  return [entry.reason, entry.until ? `until ${new Date(entry.until).toLocaleString()}` : null, entry.detail]
    .filter(Boolean)
    .join(" · ");
}

export default function ProfilePage() {
  const { state, identities, timeline, prices, stopped } = useLoaderData<typeof loader>();
  const cartIds = state.cart.map((line) => line.variantId);
  return (
    <Page
      title={state.email ?? `Anonymous ${state.profileId.slice(0, 8)}`}
      backAction={{ content: "Profiles", url: "/app/profiles" }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Live cart
                </Text>
                <Text as="p" variant="bodySm">
                  shopify_cart_ids: {JSON.stringify(cartIds)}
                </Text>
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "text"]}
                  headings={["Variant", "Quantity", "Unit price", "Last changed"]}
                  rows={state.cart.map((line, i) => [
                    line.variantId,
                    line.quantity,
                    prices[i],
                    new Date(line.lastChangedAt).toLocaleString(),
                  ])}
                />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Timeline: events and decisions
                </Text>
                {timeline.length === 0 && <Text as="p">Nothing yet.</Text>}
                {timeline.map((entry) => (
                  <InlineStack key={`${entry.kind}-${entry.at}-${entry.kind === "event" ? entry.id : entry.step}`} gap="200" blockAlign="center">
                    <Text as="span" tone="subdued" variant="bodySm">
                      {new Date(entry.at).toLocaleString()}
                    </Text>
                    {entry.kind === "event" ? (
                      <Badge>{`${entry.name} (${entry.source})`}</Badge>
                    ) : (
                      <Badge tone={OUTCOME_TONE[entry.outcome]}>{`Step ${entry.step + 1}: ${entry.outcome}`}</Badge>
                    )}
                    <Text as="span" variant="bodySm">
                      {describe(entry)}
                    </Text>
                  </InlineStack>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Identities
              </Text>
              {identities.map((key) => (
                <Text as="p" key={key} variant="bodySm">
                  {key}
                </Text>
              ))}
              {stopped.map((stop) => (
                <Text as="p" key={stop.email} tone="critical" variant="bodySm">
                  No cart emails to {stop.email}: {stop.why}, {new Date(stop.at).toLocaleString()}
                </Text>
              ))}
              <Text as="p" tone="subdued" variant="bodySm">
                Marketing consent: {state.marketingConsent}
                {state.acceptsMarketingAtCheckout === null ? "" : ` · accepted at checkout: ${state.acceptsMarketingAtCheckout ? "yes" : "no"}`}
              </Text>
              <Text as="p" tone="subdued" variant="bodySm">
                Orders: {state.charges.length}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
