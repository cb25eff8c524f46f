import { Form, useFetchers, useNavigation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Button, Text } from "@shopify/polaris";
import { useEffect, useRef } from "react";
import { OPTIONAL_SCOPES } from "../shared/optional-scopes.ts";

/** What the merchant misses for each optional scope not granted, with a button to grant it. */
export function MissingScopes({ scopes }: { scopes: string[] }) {
  const known = scopes.filter((scope) => OPTIONAL_SCOPES[scope] && !OPTIONAL_SCOPES[scope].onDemand);
  if (known.length === 0) return null;
  return (
    <Box padding="400">
      <Banner tone="warning" title="Cartback is missing a permission">
        <Form method="post" action="/app/scopes">
          <BlockStack gap="200">
            {known.map((scope) => (
              <Text as="p" key={scope}>
                <strong>{OPTIONAL_SCOPES[scope]!.what}</strong> ({scope}): {OPTIONAL_SCOPES[scope]!.without}
                <input type="hidden" name="scope" value={scope} />
              </Text>
            ))}
            <div>
              <Button submit>Grant access</Button>
            </div>
          </BlockStack>
        </Form>
      </Banner>
    </Box>
  );
}

const SUCCESS_TONE = '.Polaris-Banner [class*="SuccessOnBgFill"], .Polaris-Banner [class*="text--success"]';

/**
 * Pages report a saved form with a success Banner (the standalone admin's only feedback).
 * Framed in the Shopify admin, merchants expect a toast as well: when a submission settles,
 * each success Banner on the page is also shown through App Bridge's toast.
 */
export function SuccessToasts() {
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const submitting = navigation.formMethod?.toUpperCase() === "POST" || fetchers.some((f) => f.formMethod?.toUpperCase() === "POST");
  const busy = navigation.state !== "idle" || fetchers.some((f) => f.state !== "idle");
  const pending = useRef(false);
  const shopify = useAppBridge();
  useEffect(() => {
    if (submitting) pending.current = true;
    if (busy || !pending.current) return;
    pending.current = false;
    const frame = requestAnimationFrame(() => {
      const banners = new Set([...document.querySelectorAll(SUCCESS_TONE)].map((icon) => icon.closest(".Polaris-Banner")));
      for (const banner of banners) {
        const text = banner?.textContent?.trim();
        if (text) shopify.toast.show(text);
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [submitting, busy, shopify]);
  return null;
}
