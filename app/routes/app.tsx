import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { AppProvider as PolarisAppProvider, Frame, Navigation, Text, TopBar } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json" with { type: "json" };
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider as ShopifyAppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { MissingScopes, SuccessToasts } from "../components/EmbeddedNotices.tsx";
import { authenticateAdmin, missingOptionalScopes } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const NAVIGATION = [
  { url: "/app", label: "Dashboard" },
  { url: "/app/results", label: "Results" },
  { url: "/app/settings", label: "Settings" },
  { url: "/app/campaigns", label: "Campaigns" },
  { url: "/app/catalog", label: "Catalog" },
  { url: "/app/profiles", label: "Profiles" },
  { url: "/app/outbox", label: "Outbox" },
] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  const missingScopes = admin.type === "embedded" ? await missingOptionalScopes(request, context) : [];
  return json({ admin, missingScopes });
}

export default function AdminLayout() {
  const { admin, missingScopes } = useLoaderData<typeof loader>();
  const location = useLocation();
  if (admin.type === "embedded") {
    return (
      <ShopifyAppProvider isEmbeddedApp apiKey={admin.apiKey}>
        <NavMenu>
          {NAVIGATION.map((item, index) => (
            <Link key={item.url} to={item.url} rel={index === 0 ? "home" : undefined}>
              {item.label}
            </Link>
          ))}
        </NavMenu>
        <MissingScopes scopes={missingScopes} />
        <SuccessToasts />
        <Outlet />
      </ShopifyAppProvider>
    );
  }
  return <StandaloneAdmin shop={admin.shop} pathname={location.pathname} />;
}

/**
 * The admin outside Shopify (self-hosted). Below Polaris' breakpoint the side navigation hides
 * itself; the top bar's menu button opens it, and choosing a page closes it again.
 */
function StandaloneAdmin({ shop, pathname }: { shop: string | null; pathname: string }) {
  const [mobileNavigation, setMobileNavigation] = useState(false);
  const close = () => setMobileNavigation(false);
  const navigation = (
    <Navigation location={pathname}>
      <Navigation.Section
        title={shop ?? "Cartback"}
        items={NAVIGATION.map((item) => ({
          url: item.url,
          label: item.label,
          exactMatch: item.url === "/app",
          onClick: close,
        }))}
      />
      <Navigation.Section items={[{ url: "/auth/logout", label: "Sign out" }]} separator />
    </Navigation>
  );
  const topBar = (
    <TopBar
      showNavigationToggle
      onNavigationToggle={() => setMobileNavigation((open) => !open)}
      contextControl={
        // The bar is dark: the name is set in white, centred in its 56 px.
        <div style={{ display: "flex", alignItems: "center", height: 56, padding: "0 20px", color: "#fff" }}>
          <Text as="span" variant="headingMd">Cartback</Text>
        </div>
      }
    />
  );
  return (
    <PolarisAppProvider i18n={en} linkComponent={PolarisLink}>
      <Frame navigation={navigation} topBar={topBar} showMobileNavigation={mobileNavigation} onNavigationDismiss={close}>
        <Outlet />
      </Frame>
    </PolarisAppProvider>
  );
}

function PolarisLink({ url, children, ...rest }: { url: string; children?: React.ReactNode; external?: boolean }) {
  const { external: _external, ...anchor } = rest;
  if (url.startsWith("/auth/")) return <a href={url} {...anchor}>{children}</a>;
  return (
    <Link to={url} {...anchor}>
      {children}
    </Link>
  );
}

// Shopify's boundary turns the embedded auth redirects (thrown Responses) into the right headers.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers = boundary.headers;
