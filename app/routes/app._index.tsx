import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { SetupChecklist } from "../components/SetupChecklist.tsx";
import { setupSteps } from "../server/setup.ts";
import { authenticateAdmin } from "../shopify.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  return json({ shop: admin.shop, steps: setupSteps(context.runtime.config) });
}

export default function Dashboard() {
  const { shop, steps } = useLoaderData<typeof loader>();
  return (
    <Page title="Dashboard" subtitle={shop ?? "No store connected yet"}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {shop === null && (
              <Banner tone="warning" title="Cartback is running, but no Shopify store is connected">
                Follow the setup steps below, then restart Cartback.
              </Banner>
            )}
            <SetupChecklist steps={steps} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
