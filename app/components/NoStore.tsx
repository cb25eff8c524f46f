import { Banner, Page } from "@shopify/polaris";

/** A per-store page opened before any store is connected (a fresh self-hosted start). */
export function NoStore({ title, what }: { title: string; what: string }) {
  return (
    <Page title={title}>
      <Banner tone="warning" title="No store connected">
        {what} are per store. Connect a Shopify store first (see the Dashboard).
      </Banner>
    </Page>
  );
}
