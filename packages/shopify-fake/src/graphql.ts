import { type BulkOperation, bulkOperationJson, completeBulkOperation, newBulkOperation } from "./bulk.ts";
import { discountCreate } from "./discounts.ts";
import type { FakeAdminState } from "./state.ts";
import { productFields } from "./store.ts";

/**
 * Answers the operations Cartback sends, recognised by their root field. Not a GraphQL
 * parser: anything else gets the `errors` array Shopify returns for an unknown field.
 */
export interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown>;
}

export interface GraphqlAnswer {
  data?: unknown;
  errors?: unknown[];
  cost: number;
}

type Handler = (state: FakeAdminState, request: GraphqlRequest) => GraphqlAnswer;

const OPERATIONS: Array<[RegExp, Handler]> = [
  [/\bbulkOperationRunQuery\s*\(/, runBulk],
  [/\bcurrentBulkOperation\b/, currentBulk],
  [/\b(bulkOperation|node)\s*\(\s*id\s*:/, bulkById],
  [/\bwebPixelCreate\s*\(/, webPixelCreate],
  [/\bwebPixelUpdate\s*\(/, webPixelUpdate],
  [/\bwebPixel\s*\{/, currentWebPixel],
  [/\bdiscountCodeBasicCreate\s*\(/, (state, { variables }) => discountCreate(state, variables)],
  [/\bproducts\s*\(/, productsPage],
  [/\bshop\s*\{/, shopInfo],
  [/\bcustomer\s*\(\s*id\s*:/, customerById],
  [/\bapp\s*\{/, appScopes],
];

/** `app { requestedAccessScopes optionalAccessScopes installation { accessScopes } }` (the optional-scopes API). */
function appScopes(state: FakeAdminState): GraphqlAnswer {
  const handles = (scopes: string[]) => scopes.map((handle) => ({ handle }));
  return {
    cost: 1,
    data: {
      app: {
        requestedAccessScopes: handles(state.requestedScopes),
        optionalAccessScopes: handles(state.optionalScopes),
        installation: { accessScopes: handles(state.grantedScopes) },
      },
    },
  };
}

/** `customer(id: "gid://shopify/Customer/N")`: null for an unknown id, as Shopify answers. */
function customerById(state: FakeAdminState, { variables }: GraphqlRequest): GraphqlAnswer {
  const gid = String(variables.id ?? "");
  const id = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(gid)?.[1];
  const found = id ? state.customers.find((c) => c.id === id) : undefined;
  if (!found) return { cost: 1, data: { customer: null } };
  return {
    cost: 1,
    data: {
      customer: {
        id: gid,
        email: found.email,
        firstName: found.firstName,
        lastName: found.lastName,
        emailMarketingConsent: found.email ? { marketingState: found.marketingState ?? "NOT_SUBSCRIBED" } : null,
      },
    },
  };
}

export function answer(state: FakeAdminState, request: GraphqlRequest): GraphqlAnswer {
  for (const [pattern, handler] of OPERATIONS) if (pattern.test(request.query)) return handler(state, request);
  const field = /\{\s*(\w+)/.exec(request.query.replace(/^\s*(query|mutation)\b[^{]*/, ""))?.[1] ?? "unknown";
  return {
    cost: 1,
    errors: [{
      message: `Field '${field}' doesn't exist on type 'QueryRoot'`,
      locations: [{ line: 1, column: 3 }],
      path: ["query", field],
      extensions: { code: "undefinedField", typeName: "QueryRoot", fieldName: field },
    }],
  };
}

function runBulk(state: FakeAdminState, { query, variables }: GraphqlRequest): GraphqlAnswer {
  const bulkQuery = typeof variables.query === "string" ? variables.query : /query:\s*"((?:[^"\\]|\\.)*)"/.exec(query)?.[1];
  if (!bulkQuery) return { cost: 10, data: { bulkOperationRunQuery: { bulkOperation: null, userErrors: [{ field: ["query"], message: "Query can't be blank", code: "INVALID" }] } } };
  const running = state.currentBulkOperation();
  if (running && (running.status === "CREATED" || running.status === "RUNNING")) {
    return { cost: 10, data: { bulkOperationRunQuery: { bulkOperation: null, userErrors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${running.id}.`, code: "OPERATION_IN_PROGRESS" }] } } };
  }
  const op = newBulkOperation(state.nextId(), bulkQuery, new Date(state.now()));
  state.bulkOperations.push(op);
  if (state.options.bulkCompletion === "immediate") setTimeout(() => finish(state, op), 0);
  return { cost: 10, data: { bulkOperationRunQuery: { bulkOperation: bulkOperationJson(op), userErrors: [] } } };
}

/** Each status query moves the operation on: CREATED → RUNNING → … → COMPLETED. */
function observe(state: FakeAdminState, op: BulkOperation): void {
  if (op.status !== "CREATED" && op.status !== "RUNNING") return;
  op.polls++;
  if (state.options.bulkCompletion !== "on-poll") {
    if (op.status === "CREATED") op.status = "RUNNING";
    return;
  }
  if (op.polls >= state.options.pollsToComplete) finish(state, op);
  else op.status = "RUNNING";
}

/** Completes an operation now (tests in webhook mode call it through `state.completeBulk`). */
export function finish(state: FakeAdminState, op: BulkOperation): void {
  if (op.status !== "CREATED" && op.status !== "RUNNING") return;
  completeBulkOperation(op, state.products, state.origin, state.bulkFaults, new Date(state.now()), state.options.lineOrder, state.options.seed);
  state.onBulkFinished(op);
}

function currentBulk(state: FakeAdminState): GraphqlAnswer {
  const op = state.currentBulkOperation();
  if (op) observe(state, op);
  return { cost: 1, data: { currentBulkOperation: op ? bulkOperationJson(op) : null } };
}

function bulkById(state: FakeAdminState, { query, variables }: GraphqlRequest): GraphqlAnswer {
  const id = typeof variables.id === "string" ? variables.id : /id\s*:\s*"([^"]+)"/.exec(query)?.[1];
  const op = state.bulkOperations.find((o) => o.id === id);
  if (op) observe(state, op);
  const field = /\bnode\s*\(/.test(query) ? "node" : "bulkOperation";
  return { cost: 1, data: { [field]: op ? bulkOperationJson(op) : null } };
}

function productsPage(state: FakeAdminState, { query, variables }: GraphqlRequest): GraphqlAnswer {
  const first = Number(variables.first ?? /first\s*:\s*(\d+)/.exec(query)?.[1] ?? 50);
  if (!Number.isInteger(first) || first < 1 || first > 250) {
    return { cost: 1, errors: [{ message: "The page size must be between 1 and 250.", extensions: { code: "BAD_REQUEST" } }] };
  }
  const after = typeof variables.after === "string" ? variables.after : null;
  const start = after ? Number(Buffer.from(after, "base64url").toString("utf8").replace("cursor:", "")) + 1 : 0;
  const slice = state.products.slice(start, start + first);
  const edges = slice.map((p, i) => ({
    cursor: Buffer.from(`cursor:${start + i}`).toString("base64url"),
    node: {
      ...productFields(p),
      variants: { nodes: p.variants.map((v) => ({ ...v, id: `gid://shopify/ProductVariant/${v.id}`, image: v.imageUrl ? { url: v.imageUrl } : null })) },
    },
  }));
  return {
    cost: 2 + first,
    data: {
      products: {
        edges,
        nodes: edges.map((e) => e.node),
        pageInfo: { hasNextPage: start + first < state.products.length, endCursor: edges.at(-1)?.cursor ?? null },
      },
    },
  };
}

function webPixelCreate(state: FakeAdminState, { variables }: GraphqlRequest): GraphqlAnswer {
  const input = (variables.webPixel ?? {}) as { settings?: unknown };
  const settings = typeof input.settings === "string" ? input.settings : JSON.stringify(input.settings ?? null);
  try {
    if (typeof JSON.parse(settings) !== "object") throw new Error("not an object");
  } catch {
    return { cost: 10, data: { webPixelCreate: { webPixel: null, userErrors: [{ field: ["webPixel", "settings"], message: "Settings must be a JSON object", code: "INVALID_SETTINGS" }] } } };
  }
  if (state.webPixels.length > 0) {
    return { cost: 10, data: { webPixelCreate: { webPixel: null, userErrors: [{ field: null, message: "Web pixel is taken.", code: "TAKEN" }] } } };
  }
  const webPixel = { id: `gid://shopify/WebPixel/${state.nextId()}`, settings };
  state.webPixels.push(webPixel);
  return { cost: 10, data: { webPixelCreate: { webPixel, userErrors: [] } } };
}

function webPixelUpdate(state: FakeAdminState, { variables }: GraphqlRequest): GraphqlAnswer {
  const pixel = state.webPixels.find((p) => p.id === variables.id);
  if (!pixel) {
    return { cost: 10, data: { webPixelUpdate: { webPixel: null, userErrors: [{ field: ["id"], message: "Web pixel not found", code: "NOT_FOUND" }] } } };
  }
  const input = (variables.webPixel ?? {}) as { settings?: unknown };
  if (typeof input.settings === "string") pixel.settings = input.settings;
  return { cost: 10, data: { webPixelUpdate: { webPixel: pixel, userErrors: [] } } };
}

/** The app's own pixel (Shopify allows one per app and shop). */
function currentWebPixel(state: FakeAdminState): GraphqlAnswer {
  return { cost: 1, data: { webPixel: state.webPixels[0] ?? null } };
}

function shopInfo(state: FakeAdminState): GraphqlAnswer {
  const s = state.shopInfo;
  return {
    cost: 1,
    data: {
      shop: {
        name: s.name,
        myshopifyDomain: state.shop,
        contactEmail: s.contactEmail === undefined ? `store@${state.shop}` : s.contactEmail,
        currencyCode: s.currencyCode,
        ianaTimezone: s.ianaTimezone,
        currencyFormats: { moneyFormat: s.moneyFormat, moneyWithCurrencyFormat: s.moneyWithCurrencyFormat ?? `${s.moneyFormat} ${s.currencyCode}` },
        primaryDomain: { url: s.primaryDomainUrl },
      },
    },
  };
}
