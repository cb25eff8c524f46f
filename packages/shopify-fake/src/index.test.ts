import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeShopifyAdmin, generateProducts, productsFromBulkJsonl, productsFromJsonFile, startFakeShopifyAdmin } from "./index.ts";
import { readFileSync } from "node:fs";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../fixtures/shopify");
const TOKEN = "shpat_fake0000000000000000000000000000";
// biome-ignore lint/suspicious/noExplicitAny: the test reads arbitrary GraphQL JSON
type Json = any;

let fake: FakeShopifyAdmin | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function gql(query: string, variables: Record<string, unknown> = {}, token = TOKEN) {
  const res = await fetch(`${fake!.origin}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, Json>; errors?: Json; extensions?: Json } };
}

describe("fake Shopify Admin API", () => {
  it("rejects a wrong access token with 401 and an unknown field with an errors array", async () => {
    fake = await startFakeShopifyAdmin();
    expect((await gql("{ shop { name } }", {}, "shpat_wrong")).status).toBe(401);
    const unknown = await gql("{ orders(first: 1) { nodes { id } } }");
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors[0].extensions.code).toBe("undefinedField");
    expect(unknown.body.data).toBeUndefined();
  });

  it("pages products 250 at a time with cursors and refuses bigger pages", async () => {
    fake = await startFakeShopifyAdmin({ products: generateProducts(600, 1) });
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await gql("query($first: Int!, $after: String) { products(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }", { first: 250, after });
      ids.push(...body.data!.products.nodes.map((n: { id: string }) => n.id));
      if (!body.data!.products.pageInfo.hasNextPage) break;
      after = body.data!.products.pageInfo.endCursor;
    }
    expect(ids).toHaveLength(600);
    expect(new Set(ids).size).toBe(600);
    expect((await gql("{ products(first: 251) { nodes { id } } }")).body.errors[0].message).toMatch(/between 1 and 250/);
  });

  it("reports cost and answers THROTTLED once the bucket is empty", async () => {
    fake = await startFakeShopifyAdmin({ bucket: { maximumAvailable: 30, restoreRate: 1 } });
    const first = await gql("{ shop { name } }");
    expect(first.body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 30, restoreRate: 1 });
    fake.state.bucket.drain();
    const throttled = await gql("{ shop { name } }");
    expect(throttled.body.errors[0].extensions.code).toBe("THROTTLED");
    expect(throttled.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(0);
  });

  it("runs a bulk query to a streamed JSONL result, one operation at a time", async () => {
    fake = await startFakeShopifyAdmin({ products: productsFromJsonFile(path.join(FIXTURES, "generated/admin-rest-products.json")) });
    const run = "mutation($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } } }";
    const started = await gql(run, { query: "{ products { edges { node { id } } } }" });
    const id = started.body.data!.bulkOperationRunQuery.bulkOperation.id;
    const again = await gql(run, { query: "{ products { edges { node { id } } } }" });
    expect(again.body.data!.bulkOperationRunQuery.userErrors[0].code).toBe("OPERATION_IN_PROGRESS");
    const status = "query($id: ID!) { node(id: $id) { ... on BulkOperation { id status url objectCount errorCode } } }";
    expect((await gql(status, { id })).body.data!.node.status).toBe("RUNNING");
    const done = (await gql(status, { id })).body.data!.node;
    expect(done.status).toBe("COMPLETED");
    const jsonl = await (await fetch(done.url)).text();
    const lines = jsonl.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(Number(done.objectCount));
    expect(lines.filter((l) => l.__parentId).length).toBeGreaterThan(47);
  });

  it("fails, expires or breaks bulk results on demand", async () => {
    fake = await startFakeShopifyAdmin({ products: generateProducts(20, 2), bulkCompletion: "manual" });
    fake.state.bulkFaults = { errorCode: "INTERNAL_SERVER_ERROR", partial: true };
    await gql("mutation($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id } userErrors { message } } }", { query: "{ products { edges { node { id } } } }" });
    fake.state.completeBulk();
    const op = (await gql("{ currentBulkOperation { id status errorCode url partialDataUrl } }")).body.data!.currentBulkOperation;
    expect(op).toMatchObject({ status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR", url: null });
    expect((await (await fetch(op.partialDataUrl)).text()).trim().split("\n")).toHaveLength(15);
    fake.state.bulkFaults = { expired: true };
    const expired = await fetch(op.partialDataUrl);
    expect(expired.status).toBe(403);
  });

  it("seeds from real bulk JSONL, creates web pixels and discount codes", async () => {
    const jsonl = ["products", "variants"].map((n) => readFileSync(path.join(FIXTURES, `admin-graphql-bulk/gatsby-source-shopify/packages__gatsby-source-shopify____tests____fixtures__bulk-results__${n}.jsonl`), "utf8")).join("\n");
    const products = productsFromBulkJsonl(jsonl);
    expect(products.map((p) => p.variants.length)).toEqual([3, 3]);
    fake = await startFakeShopifyAdmin({ products, grantedScopes: ["read_products", "write_pixels", "write_discounts"] });
    const pixel = await gql("mutation($webPixel: WebPixelInput!) { webPixelCreate(webPixel: $webPixel) { webPixel { id settings } userErrors { code message } } }", { webPixel: { settings: '{"accountID":"1"}' } });
    expect(pixel.body.data!.webPixelCreate.webPixel.id).toMatch(/^gid:\/\/shopify\/WebPixel\//);
    const current = (await gql("query { webPixel { id settings } }")).body.data!.webPixel;
    expect(current.id).toBe(pixel.body.data!.webPixelCreate.webPixel.id);
    const updated = await gql("mutation($id: ID!, $webPixel: WebPixelInput!) { webPixelUpdate(id: $id, webPixel: $webPixel) { webPixel { id settings } userErrors { code } } }", { id: current.id, webPixel: { settings: '{"accountID":"2"}' } });
    expect(updated.body.data!.webPixelUpdate.webPixel.settings).toBe('{"accountID":"2"}');
    const discount = "mutation($basicCodeDiscount: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) { codeDiscountNode { id } userErrors { code message } } }";
    const input = { title: "Come back", code: "BACK10", startsAt: "2026-11-26T00:00:00Z", context: { all: "ALL" }, customerGets: { value: { percentage: 0.1 }, items: { all: true } } };
    expect((await gql(discount, { basicCodeDiscount: input })).body.data!.discountCodeBasicCreate.userErrors).toEqual([]);
    expect((await gql(discount, { basicCodeDiscount: input })).body.data!.discountCodeBasicCreate.userErrors[0].code).toBe("TAKEN");
    expect((await gql("{ shop { currencyCode ianaTimezone currencyFormats { moneyFormat } } }")).body.data!.shop.currencyCode).toBe("USD");
  });
});
