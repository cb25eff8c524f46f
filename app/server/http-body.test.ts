import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "./admin-auth/testing.ts";
import { FORM_BODY_LIMIT, readCappedBody, readFormBody } from "./http-body.ts";
import { type TestServer, startTestServer } from "./testing-server.ts";

const streamOf = (chunks: number, size: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < chunks; i++) controller.enqueue(new TextEncoder().encode("a".repeat(size)));
      controller.close();
    },
  });

describe("readFormBody", () => {
  it("parses url-encoded and multipart forms under the limit", async () => {
    const encoded = await readFormBody(new Request("http://x/", { method: "POST", body: new URLSearchParams({ t: "abc" }) }));
    expect(encoded.type === "ok" && encoded.form.get("t")).toBe("abc");
    const multipart = new FormData();
    multipart.set("password", "pw");
    const parsed = await readFormBody(new Request("http://x/", { method: "POST", body: multipart }));
    expect(parsed.type === "ok" && parsed.form.get("password")).toBe("pw");
  });

  it("stops reading a body without Content-Length once it passes the limit, and leaves the rest to the server", async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(16 * 1024).fill(97));
      },
      cancel: () => {
        cancelled = true;
      },
    });
    const request = new Request("http://x/", { method: "POST", body: endless, duplex: "half", headers: { "Content-Type": "application/x-www-form-urlencoded" } } as RequestInit);
    expect(await readFormBody(request)).toEqual({ type: "too_large", limit: FORM_BODY_LIMIT });
    // Nothing past the limit is read here; the stream is released, not cancelled (a cancel resets
    // the socket before the 413 arrives): the HTTP server drains it after answering.
    expect(pulled * 16 * 1024).toBeLessThanOrEqual(FORM_BODY_LIMIT + 2 * 16 * 1024);
    expect(cancelled).toBe(false);
    expect(request.body!.locked).toBe(false);
    const exact = new Request("http://x/", { method: "POST", body: streamOf(4, FORM_BODY_LIMIT / 4), duplex: "half", headers: { "Content-Type": "application/x-www-form-urlencoded" } } as RequestInit);
    expect((await readFormBody(exact)).type).toBe("ok");
  });

  it("hands each chunk to the caller as it arrives (a webhook's HMAC) and refuses a larger Content-Length unread", async () => {
    const seen: number[] = [];
    const body = await readCappedBody(new Request("http://x/", { method: "POST", body: streamOf(3, 10), duplex: "half" } as RequestInit), 30, (chunk) => seen.push(chunk.byteLength));
    expect(body.type === "ok" && new TextDecoder().decode(body.bytes)).toBe("a".repeat(30));
    expect(seen).toEqual([10, 10, 10]);
    const declared = new Request("http://x/", { method: "POST", body: "abc", headers: { "Content-Length": "31" } });
    expect(await readCappedBody(declared, 30)).toEqual({ type: "too_large", limit: 30 });
    expect(declared.bodyUsed).toBe(false);
  });

  it("calls a broken multipart body or an unknown content type malformed", async () => {
    const broken = new Request("http://x/", { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=zzz" }, body: "--zzz\r\nnot a part" });
    expect((await readFormBody(broken)).type).toBe("malformed");
    const json = new Request("http://x/", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect((await readFormBody(json)).type).toBe("malformed");
  });
});

/** Streams `total` bytes in 64 KB chunks; resolves with the status and how much was sent when the answer came. */
function streamPost(url: string, total: number): Promise<{ status: number; sentWhenAnswered: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request(url, { method: "POST", agent: false, headers: { "Content-Type": "application/x-www-form-urlencoded" } }, (res) => {
      resolve({ status: res.statusCode ?? 0, sentWhenAnswered: sent });
      res.resume();
      req.destroy();
    });
    req.on("error", (error) => (sent > 0 ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, "a");
    const write = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

describe("form routes over HTTP", () => {
  let server: TestServer;
  let base = "";
  beforeAll(async () => {
    server = await startTestServer({ env: { ADMIN_PASSWORD: "correct horse battery" } });
    base = server.url.replace("localhost", "127.0.0.1");
  });
  afterAll(() => server?.close());

  it("answers 413 to a 200 MB form on /unsubscribe and /auth/login before it has arrived", async () => {
    for (const path of ["/unsubscribe", "/auth/login"]) {
      const answer = await streamPost(`${base}${path}`, 200 * 1024 * 1024);
      expect(answer.status).toBe(413);
      expect(answer.sentWhenAnswered).toBeLessThan(20 * 1024 * 1024);
    }
  });

  it("answers 413 from the declared Content-Length without reading the body", async () => {
    const answer = await rawRequest(`${base}/unsubscribe`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(FORM_BODY_LIMIT + 1) }, body: "t=".padEnd(FORM_BODY_LIMIT + 1, "a") });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "body_too_large" } });
  });

  it("answers malformed multipart on sign-in with a 400, not a 500", async () => {
    const answer = await rawRequest(`${base}/auth/login`, { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=zzz" }, body: "--zzz\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nunterminated" });
    expect(answer.status).toBe(400);
    const after = await rawRequest(`${base}/auth/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "password=correct+horse+battery&next=%2Fapp" });
    expect(after.status).toBe(302);
  });
});

describe("partner-mode sign-in form over HTTP", () => {
  let server: TestServer;
  let base = "";
  beforeAll(async () => {
    server = await startTestServer({ env: { SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "secret", SHOPIFY_APP_URL: "http://localhost:3999" } });
    base = server.url.replace("localhost", "127.0.0.1");
  });
  afterAll(() => server?.close());

  it("caps the shop form too, and still hands a valid shop to Shopify's login", async () => {
    expect((await streamPost(`${base}/auth/login`, 50 * 1024 * 1024)).status).toBe(413);
    const form = (shop: string) => rawRequest(`${base}/auth/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ shop }).toString() });
    expect((await form("not a shop")).status).toBe(400);
    const valid = await form("example.myshopify.com");
    expect(valid.status).toBe(302);
    expect(valid.headers.location).toMatch(/^https:\/\/admin\.shopify\.com\/store\/example\//);
  });
});
