import { createHash, randomBytes } from "node:crypto";
import { adminSessions } from "@cartback/db";
import { createCookie, redirect } from "@remix-run/node";
import { and, eq, isNull, lt } from "drizzle-orm";
import type { Runtime } from "../runtime.ts";
import { credentialTag } from "./credentials.ts";

/**
 * Standalone admin sessions. The signed cookie holds a random id; the `admin_sessions` row
 * (keyed by the id's hash) is what makes it valid, so signing out, a password change or an
 * expiry ends it on the server, whatever copies of the cookie exist.
 */
export const SESSION_IDLE_MS = 12 * 60 * 60_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60_000;
/** last_seen_at is written at most this often, not on every admin request. */
const TOUCH_EVERY_MS = 60_000;

const cookies = new WeakMap<Runtime, ReturnType<typeof build>>();

function build(runtime: Runtime) {
  return createCookie("__cartback_admin", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: runtime.config.appUrl.startsWith("https://"),
    secrets: [runtime.appSecret],
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
}

function cookieFor(runtime: Runtime) {
  let cookie = cookies.get(runtime);
  if (!cookie) {
    cookie = build(runtime);
    cookies.set(runtime, cookie);
  }
  return cookie;
}

const hashId = (id: string) => createHash("sha256").update(id).digest("base64url");

/** The hash of the session id the request's cookie carries, if it is one of ours. */
async function sessionIdHash(runtime: Runtime, request: Request): Promise<string | null> {
  const value: unknown = await cookieFor(runtime).parse(request.headers.get("Cookie"));
  return typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value) ? hashId(value) : null;
}

export type SessionState = { type: "valid" } | { type: "none" } | { type: "ended"; reason: "revoked" | "idle" | "expired" | "password_changed" };

export async function adminSession(runtime: Runtime, request: Request, now = Date.now()): Promise<SessionState> {
  const idHash = await sessionIdHash(runtime, request);
  if (!idHash) return { type: "none" };
  const { db } = runtime.database;
  const [row] = await db.select().from(adminSessions).where(eq(adminSessions.idHash, idHash)).limit(1);
  if (!row) return { type: "none" };
  if (row.revokedAt) return { type: "ended", reason: "revoked" };
  if (now - row.createdAt.getTime() > SESSION_ABSOLUTE_MS) return { type: "ended", reason: "expired" };
  if (now - row.lastSeenAt.getTime() > SESSION_IDLE_MS) return { type: "ended", reason: "idle" };
  if (row.credentialTag !== credentialTag(runtime.config, runtime.appSecret)) {
    await db.update(adminSessions).set({ revokedAt: new Date(now) }).where(eq(adminSessions.idHash, idHash));
    return { type: "ended", reason: "password_changed" };
  }
  if (now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(adminSessions).set({ lastSeenAt: new Date(now) }).where(eq(adminSessions.idHash, idHash));
  }
  return { type: "valid" };
}

export async function isAdminSignedIn(runtime: Runtime, request: Request): Promise<boolean> {
  return (await adminSession(runtime, request)).type === "valid";
}

export async function signIn(runtime: Runtime, request: Request, to = "/app") {
  const now = new Date();
  const id = randomBytes(32).toString("base64url");
  const { db } = runtime.database;
  // Rows past the absolute expiry are useless: cleared here, where a new one is written.
  await db.delete(adminSessions).where(lt(adminSessions.createdAt, new Date(now.getTime() - SESSION_ABSOLUTE_MS)));
  const previous = await sessionIdHash(runtime, request);
  if (previous) await revoke(runtime, previous, now);
  await db.insert(adminSessions).values({
    idHash: hashId(id),
    credentialTag: credentialTag(runtime.config, runtime.appSecret),
    createdAt: now,
    lastSeenAt: now,
  });
  return redirect(to, { headers: { "Set-Cookie": await cookieFor(runtime).serialize(id) } });
}

export async function signOut(runtime: Runtime, request: Request) {
  const idHash = await sessionIdHash(runtime, request);
  if (idHash) await revoke(runtime, idHash, new Date());
  const cleared = await cookieFor(runtime).serialize("", { maxAge: 0, expires: new Date(0) });
  return redirect("/auth/login", { headers: { "Set-Cookie": cleared } });
}

async function revoke(runtime: Runtime, idHash: string, now: Date): Promise<void> {
  await runtime.database.db
    .update(adminSessions)
    .set({ revokedAt: now })
    .where(and(eq(adminSessions.idHash, idHash), isNull(adminSessions.revokedAt)));
}
