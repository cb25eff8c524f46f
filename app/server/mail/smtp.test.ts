import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "./message.ts";
import { createSmtpTransport } from "./smtp.ts";
import { closedPort, startSmtpSink } from "./testing.ts";
import type { MailTransport } from "./transport.ts";

const message = (n: number): OutgoingMessage => ({
  messageId: `<outage-${n}@cartback.test>`,
  from: { name: null, address: "shop@example.com" },
  replyTo: null,
  to: `shopper-${n}@example.com`,
  subject: `Your cart ${n}`,
  html: "<p>Still there?</p>",
  text: "Still there?",
  headers: {},
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const done of cleanup.splice(0)) await done();
});
function track(transport: MailTransport) {
  cleanup.unshift(() => transport.close());
  return transport;
}

describe("SMTP transport during a relay outage", () => {
  it("delivers as soon as the relay is back after more refused connections than the pool has slots", async () => {
    const port = await closedPort();
    const transport = track(createSmtpTransport({ url: `smtp://127.0.0.1:${port}`, maxConnections: 2 }));
    const refused = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => transport.send(message(n))));
    expect(refused.map((r) => r.type === "failed" && r.outcome.type)).toEqual(Array(6).fill("transient"));

    const sink = await startSmtpSink({ port });
    cleanup.push(() => sink.close());
    const started = performance.now();
    const after = await Promise.all([7, 8, 9].map((n) => transport.send(message(n))));
    expect(after.map((r) => r.type)).toEqual(["sent", "sent", "sent"]);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(sink.messages.map((m) => m.messageId).sort()).toEqual(["<outage-7@cartback.test>", "<outage-8@cartback.test>", "<outage-9@cartback.test>"]);
  }, 20_000);

  it("moves the sends queued behind a timed-out connection to a fresh pool instead of failing them", async () => {
    const sink = await startSmtpSink();
    cleanup.push(() => sink.close());
    const sinkPort = Number(new URL(sink.url).port);
    // The first connection never gets a greeting (no SMTP reply); later ones reach the sink.
    let connections = 0;
    const flaky = net.createServer((socket) => {
      socket.on("error", () => {});
      if (connections++ === 0) return;
      const upstream = net.connect(sinkPort, "127.0.0.1");
      upstream.on("error", () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    });
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => new Promise<void>((resolve) => flaky.close(() => resolve())));
    const transport = track(createSmtpTransport({ url: `smtp://127.0.0.1:${(flaky.address() as net.AddressInfo).port}`, maxConnections: 1, timeoutMs: 300 }));
    const results = await Promise.all([1, 2, 3, 4].map((n) => transport.send(message(n))));
    expect(results.map((r) => r.type)).toEqual(["failed", "sent", "sent", "sent"]);
    expect(sink.messages).toHaveLength(3);
  });

  it("ends sends the relay never answers, queued ones at the whole-send deadline, as transient failures", async () => {
    // Accepts TCP connections and never says a word: no SMTP greeting, no reply.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    cleanup.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const { port } = silent.address() as net.AddressInfo;
    // One connection: the first send waits for a greeting (the greeting timeout ends it), the
    // others for the connection (the whole-send deadline ends them, before they reach the relay).
    const transport = track(createSmtpTransport({ url: `smtp://127.0.0.1:${port}`, maxConnections: 1, timeoutMs: 1_500, sendTimeoutMs: 800 }));
    const started = performance.now();
    const results = await Promise.all([1, 2, 3].map((n) => transport.send(message(n))));
    const elapsed = performance.now() - started;
    expect(results).toEqual(Array(3).fill({ type: "failed", outcome: { type: "transient", code: null }, error: expect.any(String) }));
    expect(results.slice(1).map((r) => r.type === "failed" && r.error)).toEqual(Array(2).fill("SMTP send gave no answer within 0.8 s (still queued for a connection; never sent)"));
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(10_000);
  }, 20_000);

  it("reports a send that passed its deadline as failed only when it never reached the relay, so a retry cannot mail twice", async () => {
    // One connection; the relay takes 700 ms to accept each message, the whole-send deadline is
    // 400 ms. The first message is on the wire when its deadline passes and is accepted later;
    // the others wait in the pool's queue. Before: all three were reported failed (retried) and
    // went out anyway, one after another on the connection.
    const sink = await startSmtpSink({ acceptAfterMs: 700 });
    cleanup.push(() => sink.close());
    const transport = track(createSmtpTransport({ url: sink.url, maxConnections: 1, sendTimeoutMs: 400 }));
    const results = await Promise.all([1, 2, 3].map((n) => transport.send(message(n))));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const delivered = new Set(sink.accepted.map((a) => a.messageId));
    results.forEach((result, i) => {
      const id = `<outage-${i + 1}@cartback.test>`;
      expect(result.type === "sent", `${id}: ${JSON.stringify(result)}`).toBe(delivered.has(id));
    });
    expect(results.filter((r) => r.type === "failed").length).toBeGreaterThan(0);
  }, 20_000);
});
