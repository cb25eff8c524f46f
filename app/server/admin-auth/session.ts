import { createCookieSessionStorage, redirect } from "@remix-run/node";
import type { Runtime } from "../runtime.ts";

const storages = new WeakMap<Runtime, ReturnType<typeof build>>();

function build(runtime: Runtime) {
  return createCookieSessionStorage<{ admin: true; at: number }>({
    cookie: {
      name: "__cartback_admin",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: runtime.config.appUrl.startsWith("https://"),
      secrets: [runtime.appSecret],
      maxAge: 60 * 60 * 12,
    },
  });
}

export function adminSessions(runtime: Runtime) {
  let storage = storages.get(runtime);
  if (!storage) {
    storage = build(runtime);
    storages.set(runtime, storage);
  }
  return storage;
}

export async function isAdminSignedIn(runtime: Runtime, request: Request): Promise<boolean> {
  const session = await adminSessions(runtime).getSession(request.headers.get("Cookie"));
  return session.get("admin") === true;
}

export async function signIn(runtime: Runtime, request: Request, to = "/app") {
  const storage = adminSessions(runtime);
  const session = await storage.getSession(request.headers.get("Cookie"));
  session.set("admin", true);
  session.set("at", Date.now());
  return redirect(to, { headers: { "Set-Cookie": await storage.commitSession(session) } });
}

export async function signOut(runtime: Runtime, request: Request) {
  const storage = adminSessions(runtime);
  const session = await storage.getSession(request.headers.get("Cookie"));
  return redirect("/auth/login", { headers: { "Set-Cookie": await storage.destroySession(session) } });
}
