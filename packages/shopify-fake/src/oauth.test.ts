import { afterEach, describe, expect, it } from "vitest";
import { type FakeShopifyAdmin, signSessionToken, startFakeShopifyAdmin } from "./index.ts";

const SHOP = "oauth-fake.myshopify.com";
const APP = { apiKey: "fake-client-id", apiSecret: "fake-client-secret" };
const GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const OFFLINE = "urn:shopify:params:oauth:token-type:offline-access-token";

let fake: FakeShopifyAdmin | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function exchange(subjectToken: string, overrides: Record<string, string> = {}) {
  const res = await fetch(`${fake!.origin}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({
      client_id: APP.apiKey,
      client_secret: APP.apiSecret,
      grant_type: GRANT,
      subject_token: subjectToken,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: OFFLINE,
      ...overrides,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function shopName(token: unknown) {
  const res = await fetch(`${fake!.origin}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": String(token) },
    body: JSON.stringify({ query: "{ shop { name } }" }),
  });
  return res.status;
}

describe("fake token exchange", () => {
  it("trades a valid session token for the install's offline token, which the Admin API accepts until the app is uninstalled; a reinstall gets a new one", async () => {
    fake = await startFakeShopifyAdmin({ shop: SHOP, app: APP, grantedScopes: ["read_products", "write_pixels"] });
    const { status, body } = await exchange(signSessionToken(APP.apiSecret, { shop: SHOP, apiKey: APP.apiKey }));
    expect(status).toBe(200);
    expect(body.scope).toBe("read_products,write_pixels");
    expect(String(body.access_token)).toMatch(/^shpat_[0-9a-f]{32}$/);
    expect(body).not.toHaveProperty("associated_user");
    expect(await shopName(body.access_token)).toBe(200);
    const again = await exchange(signSessionToken(APP.apiSecret, { shop: SHOP, apiKey: APP.apiKey }));
    expect(again.body.access_token).toBe(body.access_token);
    fake.state.uninstallApp();
    expect(await shopName(body.access_token)).toBe(401);
    const reinstalled = await exchange(signSessionToken(APP.apiSecret, { shop: SHOP, apiKey: APP.apiKey }));
    expect(reinstalled.body.access_token).not.toBe(body.access_token);
    expect(await shopName(reinstalled.body.access_token)).toBe(200);
  });

  it("answers invalid_subject_token for an expired, wrongly signed or foreign session token", async () => {
    fake = await startFakeShopifyAdmin({ shop: SHOP, app: APP });
    const expired = signSessionToken(APP.apiSecret, { shop: SHOP, apiKey: APP.apiKey, ttlSeconds: -10 });
    const forged = signSessionToken("not-the-secret", { shop: SHOP, apiKey: APP.apiKey });
    const otherShop = signSessionToken(APP.apiSecret, { shop: "other.myshopify.com", apiKey: APP.apiKey });
    for (const token of [expired, forged, otherShop, "not.a.jwt"]) {
      expect(await exchange(token)).toEqual({ status: 400, body: { error: "invalid_subject_token", error_description: expect.any(String) } });
    }
    expect(fake.state.tokenExchanges.every((record) => record.outcome === "invalid_subject_token")).toBe(true);
  });

  it("refuses wrong client credentials, a missing subject token and another grant type", async () => {
    fake = await startFakeShopifyAdmin({ shop: SHOP, app: APP });
    const valid = signSessionToken(APP.apiSecret, { shop: SHOP, apiKey: APP.apiKey });
    expect((await exchange(valid, { client_secret: "wrong" })).body.error).toBe("invalid_client");
    expect((await exchange(valid, { client_secret: "wrong" })).status).toBe(401);
    expect((await exchange("")).body.error).toBe("missing_subject_token");
    expect((await exchange(valid, { grant_type: "authorization_code" })).body.error).toBe("unsupported_grant_type");
  });

  it("answers the optional-scopes query with what the app asks for and what the merchant granted", async () => {
    fake = await startFakeShopifyAdmin({ shop: SHOP, accessToken: "shpat_x", requestedScopes: ["read_products"], optionalScopes: ["read_customers"], grantedScopes: ["read_products"] });
    const res = await fetch(`${fake.origin}/admin/api/2026-04/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": "shpat_x" },
      body: JSON.stringify({ query: "query FetchAccessScopes{ app { requestedAccessScopes { handle } optionalAccessScopes { handle } installation { accessScopes { handle } } } }" }),
    });
    const { data } = (await res.json()) as { data: { app: Record<string, unknown> } };
    expect(data.app).toEqual({
      requestedAccessScopes: [{ handle: "read_products" }],
      optionalAccessScopes: [{ handle: "read_customers" }],
      installation: { accessScopes: [{ handle: "read_products" }] },
    });
  });
});
