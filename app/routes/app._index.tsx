import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Layout, Link, Page, Text } from "@shopify/polaris";
import { SetupChecklist } from "../components/SetupChecklist.tsx";
import { activateWebPixel } from "../server/pixel/activate.ts";
import { appEmbedLink, customPixelCode } from "../server/pixel/custom-pixel.ts";
import { setupSteps } from "../server/setup.ts";
import { ensurePixelKey } from "../server/shops/keys.ts";
import { heldRecently } from "../server/campaigns/breaker.ts";
import { senderNotice } from "../server/mail/sender.ts";
import { explainShopifyError } from "../shared/merchant-text.ts";
import { authenticateAdmin } from "../shopify.server";
import { pageTitle } from "../components/title.ts";

export const meta: MetaFunction = () => pageTitle("Dashboard");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  const { runtime } = context;
  const steps = setupSteps(runtime.config);
  if (!admin.shop) return json({ shop: null, steps, storefront: null, noSender: null, held: 0 });
  const pixelKey = await ensurePixelKey(runtime.database.db, admin.shop);
  const storefront =
    admin.type === "embedded"
      ? { type: "extension" as const, embedLink: appEmbedLink(admin.shop, admin.apiKey) }
      : { type: "custom-pixel" as const, code: customPixelCode({ appUrl: runtime.config.appUrl, shop: admin.shop, pixelKey }) };
  // Nothing is sent without a sender (no settings, MAIL_FROM or store contact email): say so here.
  const noSender = await senderNotice(runtime.database.db, admin.shop, runtime.config.mailFrom);
  const held = await heldRecently(runtime.database.db, admin.shop, new Date());
  return json({ shop: admin.shop, steps, storefront, noSender, held });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return json({ type: "failed" as const, reason: "connect a store first" }, { status: 409 });
  // A custom app made in the store's admin cannot ship a web pixel extension: its custom pixel code is on this page.
  if (admin.type !== "embedded") return json({ type: "failed" as const, reason: "a custom app has no web pixel extension; add the custom pixel code shown here instead" }, { status: 409 });
  const result = await activateWebPixel(context.runtime, admin.shop);
  return json(result, { status: result.type === "failed" ? 502 : 200 });
}

export default function Dashboard() {
  const { shop, steps, storefront, noSender, held } = useLoaderData<typeof loader>();
  const activation = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page title="Dashboard" subtitle={shop ?? "No store connected yet"}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {shop === null && (
              <Banner tone="warning" title="Cartback is running, but no Shopify store is connected">
                <BlockStack gap="200">
                  <Text as="p">
                    To see it work first, stop this server and run <code>npm run demo</code>: a demo store with its storefront,
                    connected to this admin, no setup needed.
                  </Text>
                  <Text as="p">
                    To connect your own store, follow the <Link url="/app/guide">install guide</Link> (README, "Install modes"),
                    then restart Cartback.
                  </Text>
                </BlockStack>
              </Banner>
            )}
            {noSender && (
              <Banner tone="critical" title="Set a sender email" action={{ content: "Open Settings", url: "/app/settings" }}>
                {noSender}
              </Banner>
            )}
            {held > 0 && (
              <Banner tone="warning" title={`${held} new ${held === 1 ? "recipient is" : "recipients are"} on hold`}>
                This hour Cartback would have emailed far more new shoppers than this store normally does, so it is
                holding the rest and retrying every 15 minutes. If that is expected (a sale), raise
                CARTBACK_NEW_RECIPIENTS_PER_HOUR; if not, check who can post events with your API key.
              </Banner>
            )}
            <SetupChecklist steps={steps} />
            {storefront && (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Storefront tracking
                  </Text>
                  {activation && (
                    <Banner tone={activation.type === "failed" ? "critical" : "success"}>
                      {activation.type === "failed" ? `The web pixel was not activated. ${explainShopifyError(activation.reason)}` : `Web pixel ${activation.type}.`}
                    </Banner>
                  )}
                  {storefront.type === "extension" ? (
                    <>
                      <Text as="p">
                        The web pixel reports adds, removals and checkouts. It is activated on install; activate it again if
                        the app moved to a new URL.
                      </Text>
                      <Text as="p">
                        Switch on the <Link url={storefront.embedLink} target="_blank">Cartback app embed</Link> in your theme
                        so carts are tracked before checkout too, including shoppers who are logged in.
                      </Text>
                      <Form method="post">
                        <Button submit loading={busy}>
                          Activate web pixel
                        </Button>
                      </Form>
                    </>
                  ) : (
                    <>
                      <Text as="p">
                        Custom apps cannot ship a web pixel, so add this code as a custom pixel in Shopify: Settings →
                        Customer events → Add custom pixel. Shopify's cart, checkout and order webhooks are tracked either way.
                      </Text>
                      <Box padding="300" background="bg-surface-secondary" borderRadius="200">
                        <pre style={{ margin: 0, whiteSpace: "pre-wrap", fontSize: 12 }}>{storefront.code}</pre>
                      </Box>
                    </>
                  )}
                </BlockStack>
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
