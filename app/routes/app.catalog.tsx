import { readFormBody } from "../server/http-body.ts";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams } from "@remix-run/react";
import {
  Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, ProgressBar, Select, Text, TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { SHOPIFY_CATALOG } from "@cartback/core/catalog/names";
import { minorToMajor } from "@cartback/core/money";
import { type CsvImportResult, importCatalogCsv, MAX_CSV_BYTES } from "../server/catalog/csv-import.ts";
import { catalogDeps } from "../server/catalog/deps.ts";
import { searchCatalogRows } from "../server/catalog/repository.ts";
import { catalogSyncStatus } from "../server/catalog/status.ts";
import { setCatalogSync, syncNow } from "../server/catalog/toggle.ts";
import { explainShopifyError } from "../shared/merchant-text.ts";
import { authenticateAdmin } from "../shopify.server";
import { pageTitle } from "../components/title.ts";

const PAGE = 50;

export const meta: MetaFunction = () => pageTitle("Catalog");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return json({ shop: null, status: null, rows: [], catalog: SHOPIFY_CATALOG, q: "", page: 0 });
  const url = new URL(request.url);
  const catalog = url.searchParams.get("catalog") || SHOPIFY_CATALOG;
  const q = url.searchParams.get("q") ?? "";
  const page = Math.max(0, Number(url.searchParams.get("page")) || 0);
  const { db } = context.runtime.database;
  const [status, rows] = await Promise.all([
    catalogSyncStatus(db, admin.shop),
    searchCatalogRows(db, admin.shop, catalog, { query: q, limit: PAGE + 1, offset: page * PAGE }),
  ]);
  return json({ shop: admin.shop, status, rows, catalog, q, page });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return json({ type: "error", message: "connect a store first" } as const, { status: 409 });
  const { runtime } = context;
  // A CSV upload may be as large as the catalog API takes; refused while reading past that.
  const body = await readFormBody(request, MAX_CSV_BYTES + 64 * 1024);
  if (body.type === "too_large") return json({ type: "error", message: `That upload is over ${Math.round(MAX_CSV_BYTES / 1024 / 1024)} MB.` } as const, { status: 413 });
  if (body.type === "malformed") return json({ type: "error", message: `The form could not be read: ${body.message}.` } as const, { status: 400 });
  const { form } = body;
  switch (String(form.get("intent"))) {
    case "toggle": {
      const result = await setCatalogSync(catalogDeps(runtime), admin.shop, form.get("enabled") === "on");
      if (result.type === "enabled" && result.sync.type === "failed") return json({ type: "error", message: `Sync could not start. ${explainShopifyError(result.sync.error)}` } as const);
      return json({ type: "ok", message: result.type === "enabled" ? "Catalog Sync is on; a full sync has started." : "Catalog Sync is off; the catalog stays as it is." } as const);
    }
    case "sync": {
      const sync = await syncNow(catalogDeps(runtime), admin.shop);
      if (sync.type === "failed") return json({ type: "error", message: `Sync could not start. ${explainShopifyError(sync.error)}` } as const);
      if (sync.type === "disabled") return json({ type: "error", message: "Turn Catalog Sync on first." } as const);
      return json({ type: "ok", message: sync.type === "already_running" ? "A sync is already running." : "Full sync started." } as const);
    }
    case "import": {
      const file = form.get("file");
      const name = String(form.get("name") ?? "").trim();
      if (!(file instanceof File) || file.size === 0) return json({ type: "error", message: "Choose a CSV file." } as const, { status: 400 });
      if (file.size > MAX_CSV_BYTES) return json({ type: "error", message: "CSV files are limited to 50 MB." } as const, { status: 413 });
      // The same service as PUT /api/v1/catalogs/<name>, its result told as the page's words.
      const result = await importCatalogCsv(runtime.database, admin.shop, name, await file.text());
      if (result.type === "imported") return json({ type: "ok", message: `Imported ${result.rows} rows into ${name}.` } as const);
      const refused = importRefusal(result);
      return json({ type: "error", field: refused.field, message: `Nothing was imported. ${refused.message}` } as const, { status: refused.status });
    }
    default:
      return json({ type: "error", message: "unknown action" } as const, { status: 400 });
  }
}

function importRefusal(result: Exclude<CsvImportResult, { type: "imported" }>): { status: number; field: string; message: string } {
  switch (result.type) {
    case "invalid_name":
      return { status: 400, field: "name", message: `Catalog name: ${result.message}.` };
    case "reserved_name":
      return { status: 409, field: "name", message: `${SHOPIFY_CATALOG} is written by Catalog Sync only.` };
    case "catalog_kind_mismatch":
      return { status: 409, field: "name", message: "That catalog is not a CSV catalog." };
    case "invalid_csv": {
      const lines = result.errors.slice(0, 10).map((e) => `line ${e.line}${e.column ? ` (${e.column})` : ""}: ${e.message}`);
      return { status: 422, field: "file", message: lines.join("; ") };
    }
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled import result ${JSON.stringify(unreachable)}`);
    }
  }
}

export default function CatalogPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const revalidator = useRevalidator();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(data.q);
  const [importName, setImportName] = useState("");
  const sync = data.status?.lastSync ?? null;
  const active = sync?.status === "running" || sync?.status === "ingesting";
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => revalidator.revalidate(), 2000);
    return () => clearInterval(timer);
  }, [active, revalidator]);

  if (!data.shop || !data.status) {
    return (
      <Page title="Catalog">
        <Banner tone="warning" title="No store connected">Connect a Shopify store first (see the Dashboard).</Banner>
      </Page>
    );
  }
  const status = data.status;
  const rows = data.rows.slice(0, PAGE);
  const go = (next: Record<string, string>) => setParams({ ...Object.fromEntries(params), ...next });
  return (
    <Page title="Catalog">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && <Banner tone={result.type === "ok" ? "success" : "critical"}>{result.message}</Banner>}
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">Catalog Sync</Text>
                  {/* "On — never synced" until a full sync has finished, then when the last one did. */}
                  <Badge tone={status.enabled ? (status.lastSyncedAt ? "success" : "attention") : undefined}>{status.summary}</Badge>
                </InlineStack>
                <Text as="p" tone="subdued">
                  Copies every product variant into the catalog <code>{SHOPIFY_CATALOG}</code>, keyed by variant id, and keeps it current from product webhooks. {status.shopifyRowCount.toLocaleString()} variants.
                </Text>
                <InlineStack gap="200">
                  <Form method="post">
                    <input type="hidden" name="intent" value="toggle" />
                    {!status.enabled && <input type="hidden" name="enabled" value="on" />}
                    <Button submit loading={busy} variant={status.enabled ? "secondary" : "primary"}>{status.enabled ? "Turn off" : "Turn on"}</Button>
                  </Form>
                  {status.enabled && (
                    <Form method="post">
                      <input type="hidden" name="intent" value="sync" />
                      <Button submit disabled={active || busy}>Sync now</Button>
                    </Form>
                  )}
                </InlineStack>
                {sync && <SyncProgress sync={sync} />}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="300" blockAlign="end">
                  <Select
                    label="Catalog"
                    options={status.catalogs.length > 0 ? status.catalogs.map((c) => ({ label: `${c.name} (${c.rowCount})`, value: c.name })) : [{ label: SHOPIFY_CATALOG, value: SHOPIFY_CATALOG }]}
                    value={data.catalog}
                    onChange={(catalog) => go({ catalog, page: "0" })}
                  />
                  <TextField label="Search name, SKU or variant id" value={q} onChange={setQ} autoComplete="off"
                    connectedRight={<Button onClick={() => go({ q, page: "0" })}>Search</Button>} />
                  <Button url={`/app/catalog/export?name=${encodeURIComponent(data.catalog)}`} external>Export CSV</Button>
                </InlineStack>
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "text", "text"]}
                  headings={["Identity", "Name", "SKU", "Price", "Available", "Image"]}
                  rows={rows.map((r) => [
                    r.Identity, r.Name, r.SKU ?? "", r.Price === null ? "" : `${minorToMajor(r.Price, r.Currency)} ${r.Currency}`,
                    r.Available ? "yes" : "no", r.ImageURL ? <img key={r.Identity} src={r.ImageURL} alt="" width={32} height={32} /> : "—",
                  ])}
                />
                <InlineStack gap="200">
                  <Button disabled={data.page === 0} onClick={() => go({ page: String(data.page - 1) })}>Previous</Button>
                  <Button disabled={data.rows.length <= PAGE} onClick={() => go({ page: String(data.page + 1) })}>Next</Button>
                </InlineStack>
              </BlockStack>
            </Card>
            <Card>
              <Form method="post" encType="multipart/form-data">
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">Import a CSV catalog</Text>
                  <Text as="p" tone="subdued">CleverTap catalog format: Identity (variant id), Name and ImageURL are required; Price, CompareAtPrice, Currency, ProductURL, SKU, Available and other columns are optional. The file replaces that catalog as a whole; a file with any bad row changes nothing.</Text>
                  <input type="hidden" name="intent" value="import" />
                  <TextField label="Catalog name" name="name" value={importName} onChange={setImportName} autoComplete="off" helpText="lowercase letters, digits, - and _" error={result && "field" in result && result.field === "name" ? result.message : undefined} />
                  <input type="file" name="file" accept=".csv,text/csv" aria-label="CSV file" />
                  <InlineStack><Button submit loading={busy}>Import</Button></InlineStack>
                </BlockStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type LastSync = NonNullable<NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["status"]>["lastSync"]>;

function SyncProgress({ sync }: { sync: LastSync }) {
  const percent = sync.fraction === null ? 0 : Math.round(sync.fraction * 100);
  return (
    <BlockStack gap="200">
      {(sync.status === "running" || sync.status === "ingesting") && (
        <>
          <Text as="p">{sync.status === "running" ? "Shopify is exporting products…" : `Reading ${sync.processed.toLocaleString()} of ${sync.total?.toLocaleString() ?? "?"} objects`}</Text>
          <ProgressBar progress={percent} />
        </>
      )}
      {sync.status === "completed" && <Text as="p" tone="subdued">Last full sync finished {sync.finishedAt ? new Date(sync.finishedAt).toLocaleString() : ""}: {sync.rows.toLocaleString()} variants.</Text>}
      {sync.status === "failed" && (
        <Banner tone="critical" title="The last sync failed; the previous catalog is unchanged">
          {explainShopifyError(sync.error ?? sync.errorCode ?? "")}
        </Banner>
      )}
    </BlockStack>
  );
}
