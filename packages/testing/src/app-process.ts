import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type FakeAdminOptions, type FakeShopifyAdmin, startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { type MailSink, startMailSink } from "./smtp-sink.ts";
import { deliverWebhook, signedProxyUrl, type WebhookDelivery } from "./shopify-requests.ts";
import { createScratchDatabase, type DatabaseKind, type ScratchDatabase } from "./test-database.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const BANNER = /Cartback is running at (\S+)/;

export interface AppProcessOptions {
  /** `postgres` creates a fresh database from TEST_DATABASE_URL and drops it on stop. */
  database?: DatabaseKind;
  /** Self-hosted mode for this shop (default: a random `e2e-….myshopify.com`); `null` leaves Shopify unconfigured. */
  shop?: string | null;
  secret?: string;
  adminPassword?: string;
  /** Options for the local Admin API fake the app talks to (products to sync, shop info, …). */
  shopify?: Omit<FakeAdminOptions, "shop" | "accessToken">;
  /** A mail sink to share between processes; by default each process gets its own. */
  mail?: MailSink;
  /** Extra variables (LOG_LEVEL, CARTBACK_WORKER, …); they win over the harness's. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
  /** `npm`: run `npm start` itself (npm, its shell, then node), as a merchant or a supervisor does. */
  launcher?: "node" | "npm";
}

export interface AppProcess {
  /** The bound origin, as http://127.0.0.1:<port> (the process listens on 127.0.0.1 only). */
  url: string;
  /** The origin the app prints and puts in emails (http://localhost:<port> unless SHOPIFY_APP_URL is set). */
  publicUrl: string;
  shop: string;
  secret: string;
  adminPassword: string;
  dataDir: string;
  database: DatabaseKind;
  mail: MailSink;
  shopify: FakeShopifyAdmin | null;
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Signed delivery to this app, as Shopify would send it. */
  webhook(delivery: WebhookDelivery): Promise<Response>;
  /** A signed app proxy URL for `/apps/cartback/<rest>`, optionally with a logged-in customer. */
  proxyUrl(rest: string, customerId?: string | null): string;
  /** SIGTERM, wait for the exit (SIGKILL after 15 s), then remove what the harness created. Returns the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts Cartback exactly as `npm start` does: `node scripts/start.mjs` from the repository
 * root, in a child process, on a fresh data directory, PORT=0 on 127.0.0.1, self-hosted against
 * a local Admin API fake, sending through a real SMTP server. Nothing is imported from the app.
 */
export async function startAppProcess(options: AppProcessOptions = {}): Promise<AppProcess> {
  const kind = options.database ?? "pglite";
  const shop = options.shop === undefined ? `e2e-${randomBytes(4).toString("hex")}.myshopify.com` : options.shop;
  const secret = options.secret ?? `e2e-secret-${randomBytes(8).toString("hex")}`;
  const adminPassword = options.adminPassword ?? `e2e-${randomBytes(6).toString("hex")}`;
  const adminToken = `shpat_${randomBytes(16).toString("hex")}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "cartback-e2e-"));
  const cleanups: Array<() => Promise<unknown>> = [async () => rmSync(dataDir, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => {});
  };
  try {
    const mail = options.mail ?? (await startMailSink());
    if (!options.mail) cleanups.push(() => mail.close());
    const shopify = shop ? await startFakeShopifyAdmin({ ...options.shopify, shop, accessToken: adminToken }) : null;
    if (shopify) cleanups.push(() => shopify.close());
    let scratch: ScratchDatabase | null = null;
    if (kind === "postgres") {
      scratch = await createScratchDatabase();
      cleanups.push(() => scratch!.drop());
    }
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/root",
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      CARTBACK_DATA_DIR: dataDir,
      ADMIN_PASSWORD: adminPassword,
      SMTP_URL: mail.url,
      ...(scratch ? { DATABASE_URL: scratch.url } : {}),
      ...(shop && shopify
        ? { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: adminToken, SHOPIFY_API_SECRET: secret, SHOPIFY_ADMIN_API_ORIGIN: shopify.origin }
        : {}),
      ...options.env,
    };
    const { child, publicUrl, output } = await spawnApp(env, options.startTimeoutMs ?? 120_000, options.launcher ?? "node");
    const exited = new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once("exit", (code) => resolve(code));
    });
    const url = publicUrl.replace("//localhost:", "//127.0.0.1:");
    const target = { appUrl: url, shop: shop ?? "", secret };
    let stopped: Promise<number | null> | null = null;
    return {
      url,
      publicUrl,
      shop: shop ?? "",
      secret,
      adminPassword,
      dataDir,
      database: kind,
      mail,
      shopify,
      child,
      output,
      webhook: (delivery) => deliverWebhook(target, delivery),
      proxyUrl: (rest, customerId = null) => signedProxyUrl(target, rest, customerId),
      stop() {
        stopped ??= (async () => {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
          const code = await exited;
          clearTimeout(timer);
          await cleanup();
          return code;
        })();
        return stopped;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function spawnApp(env: Record<string, string>, timeoutMs: number, launcher: "node" | "npm") {
  const [command, args] = launcher === "npm" ? [process.platform === "win32" ? "npm.cmd" : "npm", ["start", "--silent"]] : [process.execPath, ["scripts/start.mjs"]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: env as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk));
  const output = () => ({ stdout, stderr });
  const publicUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not print its URL within ${timeoutMs} ms`), timeoutMs);
    const onData = () => {
      const match = BANNER.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      child.off("exit", onExit);
      resolve(match[1]!);
    };
    const onExit = (code: number | null) => fail(`exited with ${code} before listening`);
    function fail(why: string) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`cartback ${why}\n--- stderr ---\n${stderr.slice(-4000)}\n--- stdout ---\n${stdout.slice(-2000)}`));
    }
    child.stdout!.on("data", onData);
    child.once("exit", onExit);
  });
  return { child, publicUrl, output };
}
