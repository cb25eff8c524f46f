import { Banner, BlockStack, ButtonGroup, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

export type PreviewData = { subject: string; html: string; cart: "profile" | "sample" };

const WIDTHS = { desktop: 600, mobile: 375 } as const;

/**
 * The server's render of the document (the send path's composer, sample cart or a real
 * profile's), in a sandboxed frame at desktop or mobile width.
 */
export function PreviewPane(props: { preview: PreviewData | undefined; error: string | undefined; loading: boolean; profile: string; onProfile: (value: string) => void }) {
  const [device, setDevice] = useState<keyof typeof WIDTHS>("desktop");
  return (
    <BlockStack gap="200">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="h2" variant="headingMd">Preview{props.loading ? " …" : ""}</Text>
        <ButtonGroup variant="segmented">
          <Button pressed={device === "desktop"} onClick={() => setDevice("desktop")}>Desktop</Button>
          <Button pressed={device === "mobile"} onClick={() => setDevice("mobile")}>Mobile</Button>
        </ButtonGroup>
      </InlineStack>
      <TextField label="Preview with profile (id or email; empty for the sample cart)" value={props.profile} onChange={props.onProfile} autoComplete="off" />
      {props.error ? <Banner tone="critical" title="No preview">{props.error}</Banner> : null}
      {props.preview ? (
        <BlockStack gap="100">
          <Text as="p" tone="subdued">Subject: <span className="preview-subject">{props.preview.subject}</span> ({props.preview.cart} cart)</Text>
          <div style={{ display: "flex", justifyContent: "center", background: "#f1f1f1", padding: 8, borderRadius: 8, overflowX: "auto" }}>
            {/* Merchant Liquid can write any HTML: an empty sandbox runs none of its scripts or forms. */}
            <iframe title={`Email preview (${device})`} className="email-preview" data-device={device} sandbox="" srcDoc={props.preview.html} style={{ width: WIDTHS[device], maxWidth: "100%", height: 720, border: 0, background: "#fff" }} />
          </div>
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}
