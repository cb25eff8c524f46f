import type { AdminClient, UserError } from "../shopify/admin-client.ts";

/**
 * Creating one code with the Admin API, on the send path: a short deadline and no long
 * throttle wait, because the email goes out either way (without the code when this fails).
 */
export type DiscountCreation =
  | { type: "created"; id: string }
  /** TAKEN: the code exists already. Codes derive from the send (codes.ts): a retry of ours. */
  | { type: "exists" }
  | { type: "failed"; reason: DiscountFailure; detail: string };

export type DiscountFailure = "missing_scope" | "rejected" | "timeout" | "throttled" | "not_installed" | "admin_error";

export interface DiscountIssuer {
  create(shop: string, input: Record<string, unknown>): Promise<DiscountCreation>;
}

/** What the merchant reads on the profile's timeline for each failure. */
export const DISCOUNT_FAILURE_TEXT: Record<DiscountFailure, string> = {
  missing_scope: "Cartback may not create discounts in this store: grant the write_discounts scope (Settings)",
  rejected: "Shopify refused the discount",
  timeout: "Shopify did not answer in time",
  throttled: "the store's Admin API limit was reached",
  not_installed: "Cartback is not installed on this store",
  admin_error: "the Admin API answered with an error",
};

const MUTATION = `mutation discountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field message code }
  }
}`;

interface Payload {
  discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] } | null;
}

/** The send path's deadline for one creation, network and throttle waits together. */
export const DISCOUNT_DEADLINE_MS = 5_000;

export function adminDiscountIssuer(admin: AdminClient, deadlineMs = DISCOUNT_DEADLINE_MS): DiscountIssuer {
  return {
    async create(shop, input) {
      const result = await admin.request<Payload>(shop, MUTATION, { basicCodeDiscount: input }, { timeoutMs: deadlineMs, retries: 0, throttleBudgetMs: deadlineMs });
      switch (result.type) {
        case "ok":
          return fromPayload(result.data);
        case "graphql_errors": {
          const denied = result.errors.some((e) => e.code === "ACCESS_DENIED");
          return { type: "failed", reason: denied ? "missing_scope" : "admin_error", detail: result.errors.map((e) => e.message).join("; ").slice(0, 300) };
        }
        case "throttled":
          return { type: "failed", reason: "throttled", detail: `waited ${result.waitedMs} ms` };
        case "not_installed":
          return { type: "failed", reason: "not_installed", detail: result.reason };
        case "http_error": {
          const timedOut = result.status === 0 && /abort|timeout/i.test(result.message);
          return { type: "failed", reason: timedOut ? "timeout" : "admin_error", detail: `HTTP ${result.status || "-"}: ${result.message}`.slice(0, 300) };
        }
        default: {
          const unreachable: never = result;
          throw new Error(`unknown admin result ${JSON.stringify(unreachable)}`);
        }
      }
    },
  };
}

function fromPayload(data: Payload): DiscountCreation {
  const payload = data.discountCodeBasicCreate;
  const errors = payload?.userErrors ?? [];
  if (errors.some((e) => e.code === "TAKEN")) return { type: "exists" };
  if (errors.length > 0) {
    const detail = errors.map((e) => `${(e.field ?? []).join(".") || "input"}: ${e.message}${e.code ? ` (${e.code})` : ""}`).join("; ");
    return { type: "failed", reason: "rejected", detail: detail.slice(0, 300) };
  }
  const id = payload?.codeDiscountNode?.id;
  return id ? { type: "created", id } : { type: "failed", reason: "admin_error", detail: "no discount in Shopify's answer" };
}
