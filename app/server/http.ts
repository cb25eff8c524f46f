import { json } from "@remix-run/node";

/**
 * The one error body every endpoint returns: `{ error: { code, field?, message } }`.
 * `field` names the input that is wrong (a JSON path like `events[3].variantId`).
 */
export interface ProblemBody {
  error: { code: string; field?: string; message: string };
}

export function problem(status: number, code: string, message: string, field?: string, headers?: HeadersInit) {
  const body: ProblemBody = { error: field ? { code, field, message } : { code, message } };
  return json(body, { status, headers });
}
