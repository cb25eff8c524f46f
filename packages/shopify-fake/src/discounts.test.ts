import { afterEach, describe, expect, it } from "vitest";
import { type FakeShopifyAdmin, startFakeShopifyAdmin } from "./index.ts";

const TOKEN = "shpat_fake0000000000000000000000000000";
const MUTATION = `mutation discountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title codes(first: 1) { nodes { code } } } } }
    userErrors { field message code extraInfo }
  }
}`;
// biome-ignore lint/suspicious/noExplicitAny: the test reads arbitrary GraphQL JSON
type Json = any;

let fake: FakeShopifyAdmin | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function create(basicCodeDiscount: Record<string, unknown>) {
  const res = await fetch(`${fake!.origin}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": TOKEN },
    body: JSON.stringify({ query: MUTATION, variables: { basicCodeDiscount } }),
  });
  return (await res.json()) as { data?: Json; errors?: Json; extensions?: Json };
}

const valid = (code: string) => ({
  title: `Cartback ${code}`, code, startsAt: "2026-12-06T10:00:00Z", endsAt: "2026-12-13T10:00:00Z",
  context: { all: "ALL" }, customerGets: { value: { percentage: 0.1 }, items: { all: true } }, usageLimit: 1, appliesOncePerCustomer: true,
});
const withDiscounts = ["read_products", "read_orders", "write_pixels", "read_customer_events", "write_discounts"];

describe("fake discountCodeBasicCreate", () => {
  it("creates a code with write_discounts, costs 10 points and keeps the input", async () => {
    fake = await startFakeShopifyAdmin({ grantedScopes: withDiscounts });
    const body = await create(valid("CB-ONE"));
    expect(body.data.discountCodeBasicCreate.userErrors).toEqual([]);
    expect(body.data.discountCodeBasicCreate.codeDiscountNode.codeDiscount.codes.nodes).toEqual([{ code: "CB-ONE" }]);
    expect(body.extensions.cost.requestedQueryCost).toBe(10);
    expect(fake.state.discounts.map((d) => d.input.usageLimit)).toEqual([1]);
  });

  it("answers ACCESS_DENIED without the write_discounts scope and creates nothing", async () => {
    fake = await startFakeShopifyAdmin();
    const body = await create(valid("CB-TWO"));
    expect(body.data.discountCodeBasicCreate).toBeNull();
    expect(body.errors[0].extensions.code).toBe("ACCESS_DENIED");
    expect(fake.state.discounts).toHaveLength(0);
  });

  it("refuses a second code of the same text in any case with TAKEN", async () => {
    fake = await startFakeShopifyAdmin({ grantedScopes: withDiscounts });
    await create(valid("CB-SAME"));
    const body = await create(valid("cb-same"));
    expect(body.data.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN", extraInfo: null }],
    });
  });

  it("validates the input with Shopify's userError shapes", async () => {
    fake = await startFakeShopifyAdmin({ grantedScopes: withDiscounts });
    const bad = await create({ ...valid("CB-BAD"), title: "", endsAt: "2026-12-01T00:00:00Z", usageLimit: 0, customerGets: { value: { percentage: 10 }, items: { all: true } } });
    const errors = bad.data.discountCodeBasicCreate.userErrors as Array<{ field: string[]; code: string }>;
    expect(errors.map((e) => [e.field.join("."), e.code])).toEqual([
      ["basicCodeDiscount.title", "BLANK"],
      ["basicCodeDiscount.customerGets.value.percentage", "VALUE_OUTSIDE_RANGE"],
      ["basicCodeDiscount.endsAt", "INVALID"],
      ["basicCodeDiscount.usageLimit", "GREATER_THAN"],
    ]);
    expect(fake.state.discounts).toHaveLength(0);
  });

  it("answers the userErrors a test sets for the next creations", async () => {
    fake = await startFakeShopifyAdmin({ grantedScopes: withDiscounts });
    fake.state.discountFaults = { userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code is invalid", code: "INVALID", extraInfo: null }], times: 1 };
    expect((await create(valid("CB-F"))).data.discountCodeBasicCreate.userErrors[0].code).toBe("INVALID");
    expect((await create(valid("CB-F"))).data.discountCodeBasicCreate.userErrors).toEqual([]);
  });
});
