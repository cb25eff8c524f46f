import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FakeAdminState } from "./state.ts";

/**
 * Shopify's token exchange (`POST /admin/oauth/access_token`): an embedded app trades the
 * session token App Bridge gave it for an offline (or online) Admin API token. Answers as
 * shopify.dev documents it: `{ access_token, scope }` for offline; 400 with
 * `invalid_subject_token` for an expired or wrongly signed session token (the library then
 * asks the browser for a new one); 401 `invalid_client` for a wrong client id or secret.
 */
export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const OFFLINE = "urn:shopify:params:oauth:token-type:offline-access-token";
const ONLINE = "urn:shopify:params:oauth:token-type:online-access-token";

export interface OAuthAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface TokenExchangeRecord {
  requestedTokenType: string;
  outcome: "issued" | string;
  accessToken?: string;
}

export function tokenExchange(state: FakeAdminState, form: Record<string, unknown>): OAuthAnswer {
  const fail = (status: number, error: string, description: string): OAuthAnswer => {
    state.tokenExchanges.push({ requestedTokenType: String(form.requested_token_type ?? ""), outcome: error });
    return { status, body: { error, error_description: description } };
  };
  const app = state.app;
  if (!app) return fail(401, "invalid_client", "Client credentials are invalid");
  if (form.client_id !== app.apiKey || form.client_secret !== app.apiSecret) return fail(401, "invalid_client", "Client credentials are invalid");
  if (form.grant_type !== TOKEN_EXCHANGE_GRANT) return fail(400, "unsupported_grant_type", "The grant type is not supported");
  if (typeof form.subject_token !== "string" || form.subject_token === "") return fail(400, "missing_subject_token", "Subject token is missing");
  if (form.subject_token_type !== ID_TOKEN_TYPE) return fail(400, "invalid_request", "subject_token_type must be an id_token");
  const requested = form.requested_token_type ?? OFFLINE;
  if (requested !== OFFLINE && requested !== ONLINE) return fail(400, "invalid_request", "requested_token_type is not supported");
  const claims = verifySessionToken(form.subject_token, app.apiSecret, state.now());
  if (!claims || claims.aud !== app.apiKey || claims.dest !== `https://${state.shop}`) {
    return fail(400, "invalid_subject_token", "Session token is invalid");
  }
  const scope = state.grantedScopes.join(",");
  if (requested === OFFLINE) {
    // One offline token per install: exchanging again returns it; a reinstall gets a new one.
    state.offlineToken ??= newToken(state);
    state.tokenExchanges.push({ requestedTokenType: OFFLINE, outcome: "issued", accessToken: state.offlineToken });
    return { status: 200, body: { access_token: state.offlineToken, scope } };
  }
  const accessToken = newToken(state);
  state.tokenExchanges.push({ requestedTokenType: ONLINE, outcome: "issued", accessToken });
  return {
    status: 200,
    body: {
      access_token: accessToken,
      scope,
      expires_in: 86_399,
      associated_user_scope: scope,
      associated_user: { id: Number(claims.sub ?? 1), first_name: "Merchant", last_name: "Owner", email: "owner@example.com", email_verified: true, account_owner: true, locale: "en", collaborator: false },
    },
  };
}

function newToken(state: FakeAdminState): string {
  const token = `shpat_${randomBytes(16).toString("hex")}`;
  state.acceptToken(token);
  return token;
}

/** HS256 check of a session token; null when the signature, algorithm or time window is wrong. */
export function verifySessionToken(token: string, secret: string, nowMs: number): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const head = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: string };
    if (head.alg !== "HS256") return null;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const now = Math.floor(nowMs / 1000);
    if (typeof claims.exp !== "number" || claims.exp <= now) return null;
    if (typeof claims.nbf === "number" && claims.nbf > now + 5) return null;
    return claims;
  } catch {
    return null;
  }
}
