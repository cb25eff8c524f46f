import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { proxySignature } from "../proxy.ts";

export interface Received {
  id: string;
  name: string;
  body: Record<string, unknown>;
  /** The status this delivery was answered with. */
  status: number;
  /** Accepted before: the real ingest answers "duplicate" and changes nothing. */
  duplicate: boolean;
}

/**
 * A stand-in for the app's `/proxy/events` in browser tests: checks the app proxy signature
 * the simulator added, records every event of every request, dedupes by event id as the
 * real ingest does, and answers 500 while told to.
 */
export async function startReceiver(secret: string) {
  const received: Received[] = [];
  const requests: Array<{ status: number; count: number }> = [];
  const accepted = new Set<string>();
  const control = { failWith: 0, failRemaining: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://receiver.local");
      const valid = url.searchParams.get("signature") === proxySignature(url.searchParams, secret);
      if (url.pathname !== "/proxy/events" || req.method !== "POST" || !valid) {
        res.writeHead(valid ? 404 : 401).end();
        return;
      }
      const events = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { events: Array<Record<string, unknown>> }).events;
      const status = control.failRemaining > 0 ? control.failWith : 200;
      if (control.failRemaining > 0) control.failRemaining -= 1;
      requests.push({ status, count: events.length });
      for (const body of events) {
        const id = String(body.id);
        const duplicate = status === 200 && accepted.has(id);
        if (status === 200) accepted.add(id);
        received.push({ id, name: String(body.name), body, status, duplicate });
      }
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ ok: status === 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    requests,
    control,
    /** Every 2xx delivery, duplicates included, in arrival order. */
    delivered: () => received.filter((r) => r.status === 200),
    /** What the server keeps: first accepted delivery of each id. */
    accepted: () => received.filter((r) => r.status === 200 && !r.duplicate),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
