import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, IndexTable, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { Empty } from "../components/Empty.tsx";
import { useState } from "react";
import { listProfiles } from "../server/profile-views/list.ts";
import { NoStore } from "../components/NoStore.tsx";
import { authenticateAdmin } from "../shopify.server";
import { pageTitle } from "../components/title.ts";

export const meta: MetaFunction = () => pageTitle("Profiles");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  const url = new URL(request.url);
  const query = url.searchParams.get("q") ?? "";
  const before = url.searchParams.get("before") ?? undefined;
  if (!admin.shop) return json({ shop: null, query, page: null });
  const page = await listProfiles(context.runtime.database.db, admin.shop, { query, before });
  return json({ shop: admin.shop, query, page });
}

export default function ProfilesPage() {
  const { shop, query, page } = useLoaderData<typeof loader>();
  const [search, setSearch] = useState(query);
  if (!shop || !page) {
    return <NoStore title="Profiles" what="Profiles" />;
  }
  return (
    <Page title="Profiles" subtitle="Shoppers seen by Cart Tracking, most recently active first">
      <BlockStack gap="400">
        <Card>
          <Form method="get">
            <InlineStack gap="200" blockAlign="end">
              <div style={{ flexGrow: 1 }}>
                <TextField
                  label="Find a shopper"
                  name="q"
                  value={search}
                  onChange={setSearch}
                  autoComplete="off"
                  placeholder="start of an email, customer id, cart token or variant id"
                />
              </div>
              <Button submit>Search</Button>
            </InlineStack>
          </Form>
        </Card>
        {page.capped ? (
          <Banner tone="info">More than 1,000 identities match “{query}”, and only that many are looked at: type more of the address.</Banner>
        ) : null}
        <Card padding="0">
          {page.profiles.length === 0 ? (
            <EmptyProfiles query={query} shopHasProfiles={page.shopHasProfiles} />
          ) : (
            <IndexTable
              resourceName={{ singular: "profile", plural: "profiles" }}
              itemCount={page.profiles.length}
              selectable={false}
              headings={[{ title: "Shopper" }, { title: "Cart (shopify_cart_ids)" }, { title: "Items" }, { title: "Last activity" }]}
            >
              {page.profiles.map((profile, index) => (
                <IndexTable.Row id={profile.id} key={profile.id} position={index}>
                  <IndexTable.Cell>
                    <Link to={`/app/profiles/${encodeURIComponent(profile.id)}`}>
                      {profile.email ?? (profile.customerId ? `Customer ${profile.customerId}` : `Anonymous ${profile.id.slice(0, 8)}`)}
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" variant="bodySm">
                      {profile.cartIds.length ? profile.cartIds.join(", ") : "empty"}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{profile.cartQuantity}</IndexTable.Cell>
                  <IndexTable.Cell>{profile.lastEventAt ? new Date(profile.lastEventAt).toLocaleString() : "—"}</IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
        {page.next && (
          <InlineStack align="end">
            <Link to={`?q=${encodeURIComponent(query)}&before=${encodeURIComponent(page.next)}`}>Older shoppers</Link>
          </InlineStack>
        )}
      </BlockStack>
    </Page>
  );
}

function EmptyProfiles({ query, shopHasProfiles }: { query: string; shopHasProfiles: boolean }) {
  if (!shopHasProfiles) {
    return <Empty heading="No shoppers yet">Profiles appear as soon as the storefront, the web pixel or Shopify's webhooks report cart activity.</Empty>;
  }
  if (!query) return <Empty heading="No older shoppers">Every profile of this store is on the pages before this one.</Empty>;
  return (
    <Empty heading={`No profile matches “${query}”`}>
      Search by the start of an email (ana finds ana@example.com), or by a whole customer id, cart token, checkout token or variant id.
    </Empty>
  );
}
