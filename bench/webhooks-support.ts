// bench:webhooks' plumbing: the open-loop sender and the ceiling's child process.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cartPayload, checkoutPayload, type Line, orderPayload } from "../e2e/support/webhooks.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Sent {
  webhookId: string;
  topic: string;
  ms: number;
  status: number;
  /** When it was sent, ms after the first. */
  at: number;
  /** Answered once stored, before it was applied (the inbox's drain applies it). */
  queued: boolean;
}

export type Deliver = (delivery: { topic: string; raw: string; webhookId: string }) => Promise<Response>;

/** The n-th delivery: journey n/3's cart update, checkout or order. */
function delivery(n: number, lines: Line[]) {
  const j = Math.floor(n / 3);
  const at = new Date().toISOString();
  const cart = `wcart-${j}`;
  const shopper = { customerId: 900_000 + j, email: `wh${j}@bench.example`, consent: "subscribed" as const };
  switch (n % 3) {
    case 0:
      return { topic: "carts/update", raw: cartPayload(cart, at, at, lines) };
    case 1:
      return { topic: "checkouts/create", raw: checkoutPayload(`wchk-${j}`, cart, at, shopper, lines) };
    default:
      return { topic: "orders/create", raw: orderPayload(String(5_000_000 + j), cart, `wchk-${j}`, at, shopper, lines) };
  }
}

/**
 * Open loop: a delivery every 1/rate s whether or not earlier ones were answered, as Shopify
 * sends. `firstJourney`: a warm-up's journeys are numbered apart from the measured run's.
 */
export async function sendWebhooks(deliver: Deliver, lines: Line[], rate: number, seconds: number, firstJourney = 0): Promise<Sent[]> {
  const sent: Sent[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let n = 0; n < rate * seconds; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const d = { ...delivery(n + 3 * firstJourney, lines), webhookId: randomUUID() };
    const t0 = performance.now();
    const at = t0 - started;
    pending.push(
      deliver(d).then(
        async (response) => {
          const body = await response.text();
          sent.push({ webhookId: d.webhookId, topic: d.topic, ms: performance.now() - t0, status: response.status, at, queued: body.includes('"queued":true') });
        },
        () => void sent.push({ webhookId: d.webhookId, topic: d.topic, ms: performance.now() - t0, status: 0, at, queued: false }),
      ),
    );
  }
  await Promise.all(pending);
  return sent;
}

export const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** p50 and p99 of answer times, ms. */
export function answerTimes(sent: Sent[]): { p50: number; p99: number } {
  const ms = sent.map((s) => s.ms).sort((a, b) => a - b);
  return { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99) };
}

/** The ceiling server (webhooks-ceiling.ts) on the same PostgreSQL database. */
export async function startCeiling(databaseUrl: string, secret: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "webhooks-ceiling.ts"), databaseUrl, secret], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on("exit", (code) => reject(new Error(`ceiling exited ${code}`)));
  });
  return { url, stop: () => void child.kill("SIGTERM") };
}
