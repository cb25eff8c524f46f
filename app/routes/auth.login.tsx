import { type ActionFunctionArgs, type HeadersFunction, json, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider, Banner, BlockStack, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json" with { type: "json" };
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useState } from "react";
import { checkPassword, consumeOneTimeToken } from "../server/admin-auth/credentials.ts";
import { isAdminSignedIn, signIn } from "../server/admin-auth/session.ts";
import { loginThrottle } from "../server/admin-auth/throttle.ts";
import { readFormBody } from "../server/http-body.ts";
import { partnerLogin } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

// A form post renders the page again: the action's Retry-After (a 429) must reach it.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

/** Only same-site paths: never redirect a signed-in admin to another origin. */
function safeNext(value: string | null): string {
  return value?.startsWith("/app") && !value.startsWith("//") ? value : "/app";
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { runtime } = context;
  const url = new URL(request.url);
  if (runtime.config.mode.type === "partner") {
    // login() throws the OAuth redirect when the shop is valid, and returns errors otherwise.
    const errors = url.searchParams.get("shop") ? await partnerLogin(runtime, request) : {};
    return json({ mode: "partner" as const, next: "/app", shopError: errors.shop ?? null });
  }
  const next = safeNext(url.searchParams.get("next"));
  const once = url.searchParams.get("once");
  if (once && consumeOneTimeToken(runtime.config, once)) return signIn(runtime, request, next);
  if (await isAdminSignedIn(runtime, request)) throw redirect(next);
  return json({ mode: "password" as const, next, expired: Boolean(once) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { runtime } = context;
  const body = await readFormBody(request);
  if (body.type === "too_large") return json({ error: "That form is too large." }, { status: 413 });
  if (body.type === "malformed") return json({ error: `Sign-in failed: ${body.message}.` }, { status: 400 });
  if (runtime.config.mode.type === "partner") {
    // Shopify's login() reads the form itself: it is handed a copy of the bounded one.
    const shop = body.form.get("shop");
    const copy = new Request(request.url, { method: "POST", body: new URLSearchParams({ shop: typeof shop === "string" ? shop : "" }) });
    const errors = await partnerLogin(runtime, copy);
    return json({ error: errors.shop ? `That shop domain is not valid (${errors.shop}).` : "Log in failed." }, { status: 400 });
  }
  const password = String(body.form.get("password") ?? "");
  const next = safeNext(String(body.form.get("next") ?? ""));
  // Only the address Express derived under TRUST_PROXY; a header the client sent is never the key.
  const client = context.clientAddress ?? "unknown";
  const throttle = loginThrottle(runtime);
  const now = Date.now();
  const decision = throttle.check(client, now);
  if (decision.type === "wait") {
    const seconds = Math.ceil(decision.retryAfterMs / 1000);
    return json({ error: `Too many wrong passwords from here. Try again in ${waitText(seconds)}.` }, { status: 429, headers: { "Retry-After": String(seconds) } });
  }
  if (!password || !checkPassword(runtime.config, password)) {
    throttle.fail("admin", client, now);
    runtime.logger.warn({ client }, "admin sign-in refused");
    return json({ error: "That password is not right." }, { status: 401 });
  }
  throttle.succeed(client);
  return signIn(runtime, request, next);
}

const waitText = (seconds: number) => (seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`);

export default function Login() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [value, setValue] = useState("");
  const partner = data.mode === "partner";
  return (
    <AppProvider i18n={en}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <BlockStack gap="400">
              <Text as="h1" variant="headingLg">
                {partner ? "Install Cartback" : "Sign in to Cartback"}
              </Text>
              {result && "error" in result && <Banner tone="critical">{result.error}</Banner>}
              {"expired" in data && data.expired && (
                <Banner tone="warning">That login link was already used. Sign in with the password.</Banner>
              )}
              <FormLayout>
                {partner ? (
                  <TextField
                    label="Shop domain"
                    name="shop"
                    value={value}
                    onChange={setValue}
                    autoComplete="on"
                    helpText="example.myshopify.com"
                  />
                ) : (
                  <TextField
                    label="Admin password"
                    type="password"
                    name="password"
                    value={value}
                    onChange={setValue}
                    autoComplete="current-password"
                  />
                )}
                <input type="hidden" name="next" value={data.next} />
                <Button submit variant="primary">
                  {partner ? "Log in" : "Sign in"}
                </Button>
              </FormLayout>
            </BlockStack>
          </Form>
        </Card>
      </Page>
    </AppProvider>
  );
}
