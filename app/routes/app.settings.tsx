import { readFormBody } from "../server/http-body.ts";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { settingsError, settingsFromForm } from "../server/settings/settings-form.ts";
import { readShopSettings, saveShopSettings } from "../server/settings/shop-settings.ts";
import { issueApiKey } from "../server/shops/keys.ts";
import { NoStore } from "../components/NoStore.tsx";
import { authenticateAdmin } from "../shopify.server";
import { pageTitle } from "../components/title.ts";

export const meta: MetaFunction = () => pageTitle("Settings");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  const settings = admin.shop ? await readShopSettings(context.runtime.database.db, admin.shop) : null;
  return json({ settings });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return json({ type: "invalid", field: "shop", message: "connect a store first" } as const, { status: 409 });
  const body = await readFormBody(request);
  if (body.type === "too_large") return json({ type: "invalid", field: "form", message: "That form is too large" } as const, { status: 413 });
  if (body.type === "malformed") return json({ type: "invalid", field: "form", message: `The form could not be read: ${body.message}` } as const, { status: 400 });
  const { form } = body;
  if (form.get("intent") === "api-key") {
    // Shown once: only its hash is stored, and the previous key stops working.
    return json({ type: "api_key" as const, key: await issueApiKey(context.runtime.database.db, admin.shop) });
  }
  const db = context.runtime.database.db;
  const current = await readShopSettings(db, admin.shop);
  if (!current) return json({ type: "invalid", field: "shop", message: "This store is not connected yet" } as const, { status: 409 });
  const parsed = settingsFromForm(form, current);
  if (parsed.type === "invalid") return json({ type: "invalid", field: parsed.field, message: parsed.message } as const, { status: 400 });
  const result = await saveShopSettings(db, admin.shop, parsed.input);
  if (result.type === "invalid") return json({ type: "invalid", ...settingsError(result.field, result.message) } as const, { status: 400 });
  return json(result, { status: result.type === "saved" ? 200 : 409 });
}

export default function SettingsPage() {
  const { settings } = useLoaderData<typeof loader>();
  if (!settings) {
    return <NoStore title="Settings" what="Settings" />;
  }
  return <SettingsForm settings={settings} />;
}

type Loaded = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["settings"]>;

function SettingsForm({ settings }: { settings: Loaded }) {
  const result = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const [tracking, setTracking] = useState(settings.cartTrackingEnabled);
  const [timezone, setTimezone] = useState(settings.timezone);
  const [fromName, setFromName] = useState(settings.sender.fromName ?? "");
  const [fromAddress, setFromAddress] = useState(settings.sender.fromAddress ?? "");
  const [replyTo, setReplyTo] = useState(settings.sender.replyTo ?? "");
  const errorFor = (field: string) =>
    result?.type === "invalid" && result.field === field ? result.message : undefined;
  return (
    <Page title="Settings">
      <Form method="post">
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {result?.type === "saved" && <Banner tone="success">Settings saved.</Banner>}
              {result?.type === "invalid" && <Banner tone="critical" title="Not saved">{result.message}</Banner>}
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Cart Tracking
                  </Text>
                  {/* The box posts nothing reliable (see parseToggle): the hidden input says on or off. */}
                  <input type="hidden" name="cartTrackingEnabled" value={tracking ? "on" : "off"} />
                  <Checkbox
                    label="Track carts (Added to Cart, Removed from Cart, Charged keep shopify_cart_ids live)"
                    checked={tracking}
                    onChange={setTracking}
                    error={errorFor("cartTrackingEnabled")}
                  />
                  <Text as="p" tone="subdued">
                    Catalog Sync is switched on and off on the <Link to="/app/catalog">Catalog</Link> page (now{" "}
                    {settings.catalogSyncEnabled ? "on" : "off"}).
                  </Text>
                </BlockStack>
              </Card>
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Store
                  </Text>
                  <TextField
                    label="Time zone"
                    name="timezone"
                    value={timezone}
                    onChange={setTimezone}
                    autoComplete="off"
                    helpText="IANA name; quiet hours are counted in it when a shopper's own is unknown."
                    error={errorFor("timezone")}
                  />
                </FormLayout>
              </Card>
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Sender
                  </Text>
                  <TextField label="From name" name="fromName" value={fromName} onChange={setFromName} autoComplete="off" error={errorFor("fromName")} />
                  <TextField
                    label="From address"
                    name="fromAddress"
                    type="email"
                    value={fromAddress}
                    onChange={setFromAddress}
                    autoComplete="email"
                    error={errorFor("fromAddress")}
                  />
                  <TextField
                    label="Reply-to"
                    name="replyTo"
                    type="email"
                    value={replyTo}
                    onChange={setReplyTo}
                    autoComplete="email"
                    error={errorFor("replyTo")}
                  />
                </FormLayout>
              </Card>
              <Button submit variant="primary" loading={saving}>
                Save
              </Button>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Form>
      <Box paddingBlockStart="400">
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Events API key
            </Text>
            <Text as="p" tone="subdued">
              For custom sources posting to POST /api/v1/events and for the catalog CSV API
              (Authorization: Bearer …). A new key replaces the previous one.
            </Text>
            {result?.type === "api_key" && (
              <Banner tone="warning" title="Copy this key now: it is not shown again">
                <code>{result.key}</code>
              </Banner>
            )}
            <Form method="post">
              <input type="hidden" name="intent" value="api-key" />
              <Button submit>Create a new API key</Button>
            </Form>
          </BlockStack>
        </Card>
      </Box>
    </Page>
  );
}
