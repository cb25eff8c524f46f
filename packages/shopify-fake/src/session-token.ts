import { createHmac, randomUUID } from "node:crypto";

export interface SessionTokenClaims {
  shop: string;
  apiKey: string;
  /** The merchant staff member (Shopify's numeric user id). */
  userId?: string;
  /** Seconds from now until `exp`; Shopify's tokens live one minute. Negative for an expired one. */
  ttlSeconds?: number;
  now?: number;
}

/**
 * A session token as App Bridge hands it out: an HS256 JWT signed with the app's secret,
 * with Shopify's claims (iss is the shop's admin, dest the shop, aud the app's client id).
 */
export function signSessionToken(secret: string, claims: SessionTokenClaims): string {
  const now = Math.floor((claims.now ?? Date.now()) / 1000);
  const header = { alg: "HS256", typ: "JWT" };
  const payload = {
    iss: `https://${claims.shop}/admin`,
    dest: `https://${claims.shop}`,
    aud: claims.apiKey,
    sub: claims.userId ?? "42",
    exp: now + (claims.ttlSeconds ?? 60),
    nbf: now - 1,
    iat: now - 1,
    jti: randomUUID(),
    sid: createHmac("sha256", "sid").update(`${claims.shop}:${claims.userId ?? "42"}`).digest("hex").slice(0, 32),
  };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode(header)}.${encode(payload)}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}
