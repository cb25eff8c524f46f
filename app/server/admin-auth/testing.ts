import { request } from "node:http";

/** A bare HTTP request for tests that choose the client's source address (127.0.0.x) or headers fetch forbids. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers, localAddress: options.localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A sign-in form post; `from` is the source address (any 127.0.0.x reaches a server on 127.0.0.1). */
export function postLogin(url: string, password: string, options: { from?: string; headers?: Record<string, string> } = {}) {
  return rawRequest(`${url}/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...options.headers },
    body: new URLSearchParams({ password, next: "/app" }).toString(),
    localAddress: options.from,
  });
}

/** The `name=value` part of the response's first Set-Cookie. */
export function cookieOf(response: RawResponse): string {
  const header = response.headers["set-cookie"];
  const first = Array.isArray(header) ? header[0] : header;
  if (!first) throw new Error(`no Set-Cookie (HTTP ${response.status})`);
  return first.split(";")[0]!;
}
