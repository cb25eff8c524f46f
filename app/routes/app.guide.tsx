import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Banner, Card, Page } from "@shopify/polaris";
import { useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/title.ts";
import { readInstallGuide } from "../server/install-guide.ts";
import { authenticateAdmin } from "../shopify.server";

export const meta: MetaFunction = () => pageTitle("Install guide");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await authenticateAdmin(request, context);
  return json({ guide: await readInstallGuide() });
}

export default function InstallGuidePage() {
  const { guide } = useLoaderData<typeof loader>();
  return (
    <Page title="Install guide" backAction={{ content: "Dashboard", url: "/app" }}>
      {guide ? (
        <Card>
          <pre style={{ whiteSpace: "pre-wrap", wordBreak: "break-word", margin: 0, fontSize: 13, lineHeight: 1.5 }}>{guide}</pre>
        </Card>
      ) : (
        <Banner tone="warning" title="README.md not found">See "Install modes" in the README of your Cartback copy.</Banner>
      )}
    </Page>
  );
}
