import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestServer, startTestServer } from "../testing-server.ts";
import { cookieOf, postLogin, rawRequest } from "./testing.ts";

// Against the real web process: the client address comes from the socket (a 127.0.0.x source
// address per simulated client) or, only under TRUST_PROXY, from X-Forwarded-For.
const PASSWORD = "correct horse battery";
/** The server listens on 127.0.0.1; "localhost" might resolve to ::1 first. */
const base = (server: TestServer) => server.url.replace("localhost", "127.0.0.1");

describe("admin sign-in throttle without a trusted proxy", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ADMIN_PASSWORD: PASSWORD } });
  });
  afterAll(() => server?.close());

  it("ignores X-Forwarded-For: a guesser that rotates it is still slowed down, with Retry-After", async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 12; i++) {
      const response = await postLogin(base(server), `guess-${i}`, { from: "127.0.0.2", headers: { "X-Forwarded-For": `10.9.${i}.1` } });
      statuses.push(response.status);
      if (response.status === 429) retryAfter ??= String(response.headers["retry-after"]);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it("lets the owner in from another address while a guesser is throttled", async () => {
    for (let i = 0; i < 10; i++) await postLogin(base(server), `wrong-${i}`, { from: "127.0.0.3" });
    expect((await postLogin(base(server), PASSWORD, { from: "127.0.0.3" })).status).toBe(429);
    const owner = await postLogin(base(server), PASSWORD, { from: "127.0.0.4" });
    expect(owner.status).toBe(302);
    expect(owner.headers.location).toBe("/app");
    expect(cookieOf(owner)).toMatch(/^__cartback_admin=/);
  });

  it("lets a fresh client in with the right password during a distributed guess", async () => {
    for (let i = 0; i < 40; i++) await postLogin(base(server), `spray-${i}`, { from: `127.0.1.${i + 1}` });
    expect((await postLogin(base(server), PASSWORD, { from: "127.0.2.1" })).status).toBe(302);
    // Under attack a client's first failure already starts its backoff.
    expect((await postLogin(base(server), "one typo", { from: "127.0.2.2" })).status).toBe(401);
    expect((await postLogin(base(server), PASSWORD, { from: "127.0.2.2" })).status).toBe(429);
  });
});

describe("admin sign-in throttle behind one trusted proxy (TRUST_PROXY=1)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ADMIN_PASSWORD: PASSWORD, TRUST_PROXY: "1" } });
  });
  afterAll(() => server?.close());

  it("keys on the address the proxy appended, not on what the client put first", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      // The proxy appends the peer it saw (203.0.113.5) to whatever the client sent.
      const response = await postLogin(base(server), `guess-${i}`, { headers: { "X-Forwarded-For": `10.0.0.${i}, 203.0.113.5` } });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const owner = await postLogin(base(server), PASSWORD, { headers: { "X-Forwarded-For": "198.51.100.7" } });
    expect(owner.status).toBe(302);
  });
});

describe("cross-origin admin posts", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ADMIN_PASSWORD: PASSWORD } });
  });
  afterAll(() => server?.close());

  it("answers 403 naming the Origin, not 500, and changes nothing", async () => {
    const cookie = cookieOf(await postLogin(base(server), PASSWORD));
    const form = (origin: string) =>
      rawRequest(`${base(server)}/app/settings`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
        body: "intent=api-key",
      });
    for (const origin of ["https://evil.example", "null", "not a url"]) {
      const refused = await form(origin);
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "cross_origin", field: "Origin" } });
    }
    const logout = await rawRequest(`${base(server)}/auth/logout`, { method: "POST", headers: { Cookie: cookie, Origin: "https://evil.example" } });
    expect(logout.status).toBe(403);
    const page = await rawRequest(`${base(server)}/app`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    const sameOrigin = await form(base(server));
    expect(sameOrigin.status).not.toBe(403);
    expect(sameOrigin.status).toBeLessThan(500);
  });
});
