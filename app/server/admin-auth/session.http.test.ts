import { adminSessions } from "@cartback/db";
import { describeEachDatabase } from "@cartback/db/testing";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { type TestServer, startTestServer } from "../testing-server.ts";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "./session.ts";
import { cookieOf, postLogin, rawRequest } from "./testing.ts";

const PASSWORD = "correct horse battery";
const base = (server: TestServer) => server.url.replace("localhost", "127.0.0.1");

describeEachDatabase("admin sessions over HTTP", (database) => {
  async function withServer(password: string, run: (server: TestServer) => Promise<void>) {
    const server = await startTestServer({ env: { ADMIN_PASSWORD: password }, database: database() });
    try {
      await run(server);
    } finally {
      await server.close();
    }
  }
  const signIn = async (server: TestServer, password = PASSWORD) => cookieOf(await postLogin(base(server), password));
  const dashboard = (server: TestServer, cookie: string) => rawRequest(`${base(server)}/app`, { headers: { Cookie: cookie } });
  /** The stored row of a cookie: only the SHA-256 of the id in it is kept. */
  const idHashOf = (cookie: string) => {
    const signed = decodeURIComponent(cookie.split("=").slice(1).join("="));
    const id = JSON.parse(Buffer.from(signed.slice(0, signed.lastIndexOf(".")), "base64").toString("utf8")) as string;
    return createHash("sha256").update(id).digest("base64url");
  };

  it("a cookie copied before sign-out no longer works after it", async () => {
    await withServer(PASSWORD, async (server) => {
      const cookie = await signIn(server);
      expect((await dashboard(server, cookie)).status).toBe(200);
      const out = await rawRequest(`${base(server)}/auth/logout`, { method: "POST", headers: { Cookie: cookie } });
      expect(out.status).toBe(302);
      const replayed = await dashboard(server, cookie);
      expect(replayed.status).toBe(302);
      expect(replayed.headers.location).toMatch(/^\/auth\/login/);
      const [row] = await database().db.select().from(adminSessions).where(eq(adminSessions.idHash, idHashOf(cookie)));
      expect(row!.revokedAt).not.toBeNull();
    });
  });

  it("ends a session idle for more than 12 hours, and any session 7 days after sign-in", async () => {
    await withServer(PASSWORD, async (server) => {
      const idle = await signIn(server);
      const old = await signIn(server);
      const { db } = database();
      await db.update(adminSessions).set({ lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS - 60_000) }).where(eq(adminSessions.idHash, idHashOf(idle)));
      await db.update(adminSessions).set({ createdAt: new Date(Date.now() - SESSION_ABSOLUTE_MS - 60_000) }).where(eq(adminSessions.idHash, idHashOf(old)));
      expect((await dashboard(server, idle)).status).toBe(302);
      expect((await dashboard(server, old)).status).toBe(302);
      const active = await signIn(server);
      await db.update(adminSessions).set({ lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS + 60 * 60_000) }).where(eq(adminSessions.idHash, idHashOf(active)));
      expect((await dashboard(server, active)).status).toBe(200);
      // The request moved last_seen_at forward: the session stays alive while it is used.
      const [row] = await db.select().from(adminSessions).where(eq(adminSessions.idHash, idHashOf(active)));
      expect(Date.now() - row!.lastSeenAt.getTime()).toBeLessThan(60_000);
    });
  });

  it("ends every session when the password changes", async () => {
    let cookie = "";
    await withServer(PASSWORD, async (server) => {
      cookie = await signIn(server);
      expect((await dashboard(server, cookie)).status).toBe(200);
    });
    await withServer("a brand new passphrase", async (server) => {
      expect((await dashboard(server, cookie)).status).toBe(302);
      expect((await postLogin(base(server), PASSWORD)).status).toBe(401);
      expect((await dashboard(server, await signIn(server, "a brand new passphrase"))).status).toBe(200);
    });
  });

  it("stores only a hash of the session id, never the cookie value", async () => {
    await withServer(PASSWORD, async (server) => {
      const cookie = await signIn(server);
      const signed = decodeURIComponent(cookie.split("=").slice(1).join("="));
      const id = JSON.parse(Buffer.from(signed.slice(0, signed.lastIndexOf(".")), "base64").toString("utf8")) as string;
      expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const rows = await database().db.select().from(adminSessions);
      expect(rows.some((row) => row.idHash === idHashOf(cookie))).toBe(true);
      expect(JSON.stringify(rows)).not.toContain(id);
    });
  });
});
