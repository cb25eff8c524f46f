import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect, createServer, type Server, type Socket } from "node:net";
import { type AppProcess, availableDatabases, createScratchDatabase, type ScratchDatabase, signInMerchant, startAppProcess } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Issue 13, findings 3 and 10, against the app started as `npm start` does: an unsigned
// webhook body of 200 MB is refused without the process holding it, and event calls during a
// PostgreSQL outage answer 503 with Retry-After (the SDK and the pixel wait and resend).

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Streams `totalMb` of chunked body and resolves with the status, whenever the server answers. */
function postHuge(url: string, headers: Record<string, string>, totalMb: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(url, { method: "POST", headers: { ...headers, "Transfer-Encoding": "chunked" }, agent: false }, (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The server cuts a sender that goes on past the drain bound: expected once it answered.
    req.on("error", (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(1024 * 1024, "x");
    let sent = 0;
    const pump = () => {
      while (!answered && !req.destroyed && sent < totalMb) {
        sent++;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

describe.each(availableDatabases())("bounded webhook bodies on %s", (database) => {
  let app: AppProcess;
  beforeAll(async () => {
    app = await startAppProcess({ database, env: { LOG_LEVEL: "info" } });
  });
  afterAll(() => app?.stop());

  it("refuses four parallel unsigned 200 MB webhook bodies with 413 while the process grows under 64 MB", async () => {
    const pid = app.child.pid!;
    const before = rssMb(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
    const headers = { "Content-Type": "application/json", "X-Shopify-Topic": "orders/create", "X-Shopify-Shop-Domain": app.shop, "X-Shopify-Webhook-Id": randomUUID(), "X-Shopify-Hmac-Sha256": "AAAA" };
    try {
      const statuses = await Promise.all(["orders", "carts", "products", "compliance"].map((route) => postHuge(`${app.url}/webhooks/${route}`, headers, 200)));
      expect(statuses).toEqual([413, 413, 413, 413]);
    } finally {
      clearInterval(sampler);
    }
    if (process.env.CARTBACK_REPORT) process.stderr.write(`[${database}] RSS ${before.toFixed(0)} MB → peak ${peak.toFixed(0)} MB\n`);
    expect(peak - before).toBeLessThan(64);
    // Still serving.
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it("answers admin searches and catalog names holding NUL without a 5xx, and logs no shopper's address", async () => {
    const merchant = await signInMerchant(app);
    for (const path of ["/app/profiles?q=%00", "/app/profiles?q=a%00b%40example.com", "/app/profiles?before=not-a-date", "/app/catalog?q=%00", "/app/catalog?catalog=%00"]) {
      const page = await merchant.get(path);
      expect([path, page.status]).toEqual([path, 200]);
    }
    const apiKey = await merchant.createApiKey();
    const catalog = await fetch(`${app.url}/api/v1/catalogs/%00`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(catalog.status).toBe(400);
    const { stdout, stderr } = app.output();
    for (const address of ["b@example.com", "b%40example.com"]) expect(stdout + stderr).not.toContain(address);
  });
});

/** A TCP proxy in front of PostgreSQL that can be cut (every connection reset, the port closed) and restored. */
async function startTcpProxy(target: URL) {
  const sockets = new Set<Socket>();
  const listen = (server: Server, port = 0) => new Promise<number>((resolve) => server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
  const make = () =>
    createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("error", () => {});
        s.on("close", () => {
          sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
  let server = make();
  let up = true;
  const port = await listen(server);
  return {
    url(database: URL) {
      const url = new URL(database);
      url.host = `127.0.0.1:${port}`;
      return url.toString();
    },
    async down() {
      up = false;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    async up() {
      if (up) return;
      up = true;
      server = make();
      await listen(server, port);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

describe.each(availableDatabases().filter((d) => d === "postgres"))("event calls during a database outage on %s", () => {
  let scratch: ScratchDatabase;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let app: AppProcess;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    proxy = await startTcpProxy(new URL(scratch.url));
    app = await startAppProcess({ database: "pglite", env: { DATABASE_URL: proxy.url(new URL(scratch.url)) } });
  });
  afterAll(async () => {
    await app?.stop();
    await scratch?.drop();
    await proxy?.close();
  });

  it("answers 503 with Retry-After while PostgreSQL is unreachable, keeps the error text out of /healthz, and accepts again once it is back", async () => {
    const merchant = await signInMerchant(app);
    const apiKey = await merchant.createApiKey();
    const post = () =>
      fetch(`${app.url}/api/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ events: [{ id: randomUUID(), name: "Added to Cart", occurredAt: new Date().toISOString(), clientId: "outage", variantId: "7" }] }),
      });
    expect((await post()).status).toBe(200);

    await proxy.down();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await post().catch((error: unknown) => {
        throw new Error(`the app did not answer during the outage (exit ${app.child.exitCode}): ${String(error)}\n${app.output().stderr.slice(-3000)}`);
      });
      statuses.push(response.status);
      if (response.status === 503) {
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(await response.json()).toMatchObject({ error: { code: "unavailable" } });
      }
    }
    expect(statuses).toEqual([503, 503, 503, 503, 503]);
    // The app proxy (storefront SDK) and Shopify's webhooks alike.
    const proxied = await fetch(app.proxyUrl("events"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ events: [{ id: randomUUID(), name: "Added to Cart", occurredAt: new Date().toISOString(), clientId: "outage", variantId: "7" }] }),
    });
    expect([proxied.status, proxied.headers.get("retry-after")]).toEqual([503, "5"]);
    const webhook = await app.webhook({ topic: "carts/update", raw: JSON.stringify({ id: "outage-cart", token: "outage-cart", line_items: [], updated_at: new Date().toISOString() }) });
    expect([webhook.status, webhook.headers.get("retry-after")]).toEqual([503, "5"]);
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.text()).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|cb_e2e/);

    await proxy.up();
    let recovered = 0;
    for (let i = 0; i < 50 && recovered !== 200; i++) {
      recovered = (await post()).status;
      if (recovered !== 200) await sleep(100);
    }
    expect(recovered).toBe(200);
  });
});
