import type { Database } from "@cartback/db";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { adminCredentials } from "./admin-token.ts";
import { backoffAfterThrottleMs, type ThrottleReading, type ThrottleStatus, waitBeforeMs } from "./admin-throttle.ts";

export const ADMIN_API_VERSION = "2026-10";

export interface GraphqlError {
  message: string;
  code: string | null;
}

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

/** Expected outcomes of an Admin call; callers switch on `type`. */
export type AdminResult<T> =
  | { type: "ok"; data: T }
  | { type: "not_installed"; reason: string }
  | { type: "throttled"; waitedMs: number }
  | { type: "graphql_errors"; errors: GraphqlError[] }
  | { type: "http_error"; status: number; message: string };

/** One call's own limits, tighter than the client's (the send path's discount creation). */
export interface RequestLimits {
  timeoutMs?: number;
  retries?: number;
  throttleBudgetMs?: number;
}

export interface AdminClient {
  request<T>(shop: string, query: string, variables?: Record<string, unknown>, limits?: RequestLimits): Promise<AdminResult<T>>;
}

export interface AdminClientOptions {
  config: Config;
  database: Database;
  logger?: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Total time one call may spend waiting on throttling before giving up. */
  throttleBudgetMs?: number;
  /** Retries of network failures and 5xx answers. */
  retries?: number;
  /** Deadline of one HTTP request, headers and body. */
  requestTimeoutMs?: number;
}

interface GraphqlResponse {
  data?: unknown;
  errors?: unknown;
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } };
}

/** The one Admin GraphQL client: catalog sync, pixel activation and discounts go through it. */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const clientBudget = options.throttleBudgetMs ?? 60_000;
  const clientRetries = options.retries ?? 2;
  const readings = new Map<string, ThrottleReading>();
  // The last requested cost of each query text: what to expect it to cost next time.
  const costs = new Map<string, number>();

  return {
    async request<T>(shop: string, query: string, variables: Record<string, unknown> = {}, limits: RequestLimits = {}): Promise<AdminResult<T>> {
      const budget = limits.throttleBudgetMs ?? clientBudget;
      const retries = limits.retries ?? clientRetries;
      const timeoutMs = limits.timeoutMs ?? options.requestTimeoutMs ?? 20_000;
      const credentials = await adminCredentials(options.config, options.database, shop);
      if (credentials.type === "not_installed") return credentials;
      const url = `${credentials.origin}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
      let waited = 0;
      let failures = 0;
      for (let attempt = 0; ; attempt++) {
        const before = waitBeforeMs(readings.get(shop), costs.get(query) ?? 10, now());
        if (before > 0) {
          if (waited + before > budget) return { type: "throttled", waitedMs: waited };
          await sleep(before);
          waited += before;
        }
        let response: Response;
        let body: GraphqlResponse;
        try {
          response = await doFetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", "x-shopify-access-token": credentials.accessToken },
            body: JSON.stringify({ query, variables }),
            // Every outbound call has a deadline; a hung connection counts as a network failure.
            signal: AbortSignal.timeout(timeoutMs),
          });
          if (response.status === 401 || response.status === 403) {
            return { type: "not_installed", reason: `Shopify refused the access token (HTTP ${response.status})` };
          }
          if (response.status >= 500 || response.status === 429) throw new RetryableStatus(response.status);
          body = (await response.json()) as GraphqlResponse;
        } catch (error) {
          if (failures++ >= retries) {
            const status = error instanceof RetryableStatus ? error.status : 0;
            return { type: "http_error", status, message: error instanceof Error ? error.message : String(error) };
          }
          await sleep(500 * 2 ** failures);
          continue;
        }
        if (!response.ok) return { type: "http_error", status: response.status, message: JSON.stringify(body.errors ?? null).slice(0, 300) };
        const cost = body.extensions?.cost;
        if (cost?.throttleStatus) readings.set(shop, { status: cost.throttleStatus, at: now() });
        if (typeof cost?.requestedQueryCost === "number") costs.set(query, cost.requestedQueryCost);
        const errors = graphqlErrors(body.errors);
        if (errors.some((e) => e.code === "THROTTLED")) {
          const wait = backoffAfterThrottleMs(cost?.throttleStatus, cost?.requestedQueryCost ?? 10, attempt);
          if (waited + wait > budget) return { type: "throttled", waitedMs: waited };
          options.logger?.debug({ shop, wait }, "admin API throttled, backing off");
          await sleep(wait);
          waited += wait;
          continue;
        }
        if (errors.length > 0) return { type: "graphql_errors", errors };
        return { type: "ok", data: body.data as T };
      }
    },
  };
}

class RetryableStatus extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

function graphqlErrors(value: unknown): GraphqlError[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [{ message: typeof value === "string" ? value : JSON.stringify(value), code: null }];
  return value.map((e: { message?: unknown; extensions?: { code?: unknown } }) => ({
    message: typeof e?.message === "string" ? e.message : "unknown error",
    code: typeof e?.extensions?.code === "string" ? e.extensions.code : null,
  }));
}

/** Mutations report validation failures as `userErrors` inside `data`. */
export function userErrorsOf(payload: { userErrors?: UserError[] } | null | undefined): UserError[] {
  return payload?.userErrors ?? [];
}
