import type { FakeAdminState } from "./state.ts";

/**
 * `discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!)` as Shopify answers it:
 * scope `write_discounts` (ACCESS_DENIED in `errors` without it), input validated with
 * DiscountUserError shapes (`field` a path from `basicCodeDiscount`, `code`, `extraInfo`),
 * a code unique per shop regardless of case (TAKEN). Tests set `state.discountFaults` to
 * make the next creations answer the userErrors they give.
 */
export interface DiscountUserError {
  field: string[] | null;
  message: string;
  code: string;
  extraInfo: string | null;
}

export interface FakeDiscount {
  id: string;
  code: string;
  input: Record<string, unknown>;
}

interface Answer {
  data?: unknown;
  errors?: unknown[];
  cost: number;
}

const error = (path: string[], message: string, code: string): DiscountUserError => ({ field: ["basicCodeDiscount", ...path], message, code, extraInfo: null });

const failed = (userErrors: DiscountUserError[]): Answer => ({ cost: 10, data: { discountCodeBasicCreate: { codeDiscountNode: null, userErrors } } });

export function discountCreate(state: FakeAdminState, variables: Record<string, unknown>): Answer {
  if (!state.grantedScopes.includes("write_discounts")) {
    return {
      cost: 10,
      data: { discountCodeBasicCreate: null },
      errors: [{
        message: "Access denied for discountCodeBasicCreate field. Required access: `write_discounts` access scope.",
        locations: [{ line: 2, column: 3 }],
        path: ["discountCodeBasicCreate"],
        extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes", requiredAccess: "`write_discounts` access scope." },
      }],
    };
  }
  const fault = state.discountFaults.userErrors;
  if (fault && state.discountFaults.times !== 0) {
    if (state.discountFaults.times !== undefined) state.discountFaults.times--;
    return failed(fault);
  }
  const input = (variables.basicCodeDiscount ?? {}) as Record<string, unknown>;
  const errors = validate(input, state.now());
  if (errors.length > 0) return failed(errors);
  const code = String(input.code);
  if (state.discounts.some((d) => d.code.toLowerCase() === code.toLowerCase())) {
    return failed([error(["code"], "Code must be unique. Please try a different code.", "TAKEN")]);
  }
  const node: FakeDiscount = { id: `gid://shopify/DiscountCodeNode/${state.nextId()}`, code, input };
  state.discounts.push(node);
  return {
    cost: 10,
    data: {
      discountCodeBasicCreate: {
        codeDiscountNode: {
          id: node.id,
          codeDiscount: {
            title: input.title,
            startsAt: input.startsAt ?? new Date(state.now()).toISOString(),
            endsAt: input.endsAt ?? null,
            usageLimit: input.usageLimit ?? null,
            appliesOncePerCustomer: input.appliesOncePerCustomer === true,
            codes: { nodes: [{ code }] },
          },
        },
        userErrors: [],
      },
    },
  };
}

function validate(input: Record<string, unknown>, now: number): DiscountUserError[] {
  const errors: DiscountUserError[] = [];
  const code = typeof input.code === "string" ? input.code : "";
  if (code.trim() === "") errors.push(error(["code"], "Code can't be blank", "BLANK"));
  else if (code.length > 255) errors.push(error(["code"], "Code is too long (maximum is 255 characters)", "TOO_LONG"));
  else if (/[\r\n]/.test(code)) errors.push(error(["code"], "Code cannot contain newline characters.", "INVALID"));
  if (typeof input.title !== "string" || input.title.trim() === "") errors.push(error(["title"], "Title can't be blank", "BLANK"));
  if (input.context === undefined && input.customerSelection === undefined) errors.push(error(["context"], "Context can't be blank", "BLANK"));
  errors.push(...customerGetsErrors(input.customerGets));
  const startsAt = typeof input.startsAt === "string" ? Date.parse(input.startsAt) : now;
  if (Number.isNaN(startsAt)) errors.push(error(["startsAt"], "Starts at is invalid", "INVALID"));
  if (input.endsAt !== undefined && input.endsAt !== null) {
    const endsAt = typeof input.endsAt === "string" ? Date.parse(input.endsAt) : Number.NaN;
    if (Number.isNaN(endsAt)) errors.push(error(["endsAt"], "Ends at is invalid", "INVALID"));
    else if (endsAt <= startsAt) errors.push(error(["endsAt"], "Ends at needs to be after starts_at", "INVALID"));
  }
  if (input.usageLimit !== undefined && input.usageLimit !== null && !(Number.isInteger(input.usageLimit) && Number(input.usageLimit) > 0)) {
    errors.push(error(["usageLimit"], "Usage limit must be greater than 0", "GREATER_THAN"));
  }
  return errors;
}

function customerGetsErrors(value: unknown): DiscountUserError[] {
  if (typeof value !== "object" || value === null) return [error(["customerGets"], "Customer gets can't be blank", "BLANK")];
  const gets = value as { value?: { percentage?: unknown; discountAmount?: { amount?: unknown } }; items?: unknown };
  const errors: DiscountUserError[] = [];
  if (gets.items === undefined || gets.items === null) errors.push(error(["customerGets", "items"], "Items can't be blank", "BLANK"));
  const v = gets.value;
  if (v?.percentage !== undefined) {
    const p = Number(v.percentage);
    if (typeof v.percentage !== "number" || !(p > 0 && p <= 1)) errors.push(error(["customerGets", "value", "percentage"], "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE"));
  } else if (v?.discountAmount !== undefined) {
    const amount = Number(v.discountAmount.amount);
    if (!(amount > 0)) errors.push(error(["customerGets", "value", "discountAmount", "amount"], "Value must be greater than 0", "GREATER_THAN"));
  } else {
    errors.push(error(["customerGets", "value"], "Value can't be blank", "BLANK"));
  }
  return errors;
}
