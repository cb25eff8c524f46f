import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import fc from "fast-check";
import { type FuzzRequest, type FuzzTarget, fuzzRequest } from "./requests.ts";

export interface Answer {
  status: number;
  body: string;
}

/** Sends one request over a kept-alive connection; a hang past `timeoutMs` is reported as status 0. */
export function send(base: string, agent: Agent, req: FuzzRequest, timeoutMs = 30_000): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: Answer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    const body = req.body === undefined ? undefined : Buffer.from(req.body, "utf8");
    let outgoing: ReturnType<typeof request>;
    try {
      outgoing = request(`${base}${req.path}`, { method: req.method, headers: { ...req.headers, ...(body ? { "content-length": String(body.length) } : {}) }, agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < 4096) chunks.push(chunk);
          size += chunk.length;
        });
        res.on("end", () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8").slice(0, 2000) }));
        res.on("error", (error) => done({ status: res.statusCode ?? -1, body: `response error: ${error.message}` }));
      });
    } catch (error) {
      // node:http refuses to put some generated paths or headers on the wire: nothing was sent.
      return done({ status: -2, body: `not sendable: ${(error as Error).message}` });
    }
    outgoing.on("timeout", () => {
      outgoing.destroy(new Error("timeout"));
      done({ status: 0, body: `no answer within ${timeoutMs} ms` });
    });
    outgoing.on("error", (error) => done({ status: -1, body: `connection error: ${error.message}` }));
    outgoing.end(body);
  });
}

export interface EndpointCount {
  sent: number;
  byClass: Record<string, number>;
}

export interface FuzzReport {
  runs: number;
  seconds: number;
  endpoints: Map<string, EndpointCount>;
  /** Every answer >= 500, with its request (bodies cut to 2,000 characters). */
  serverErrors: Array<{ request: FuzzRequest; answer: Answer }>;
  /** No answer within the timeout (a hung connection). */
  hangs: Array<{ request: FuzzRequest; answer: Answer }>;
  connectionErrors: number;
  unsendable: number;
  rssMb: number[];
  exited: boolean;
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
const statusClass = (status: number) => (status === 0 ? "hang" : status < 0 ? (status === -2 ? "unsendable" : "conn-error") : `${Math.floor(status / 100)}xx`);

export interface RunOptions {
  base: string;
  pid: number;
  target: FuzzTarget;
  runs: number;
  seed: number;
  concurrency: number;
  /** Stop starting chunks after this time (epoch ms); the report says how many were sent. */
  deadline?: number;
  /** True once the server process has exited. */
  exited: () => boolean;
  onProgress?: (done: number, report: FuzzReport) => void;
}

/** Sends `runs` generated requests, `concurrency` at a time, and samples the server's RSS every 3 s. */
export async function runFuzz(options: RunOptions): Promise<FuzzReport> {
  const report: FuzzReport = { runs: 0, seconds: 0, endpoints: new Map(), serverErrors: [], hangs: [], connectionErrors: 0, unsendable: 0, rssMb: [rssMb(options.pid)], exited: false };
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const arbitrary = fuzzRequest(options.target);
  const started = Date.now();
  const sampler = setInterval(() => {
    if (!options.exited()) report.rssMb.push(rssMb(options.pid));
  }, 3_000);
  const CHUNK = 500;
  try {
    for (let offset = 0; offset < options.runs && !options.exited() && Date.now() < (options.deadline ?? Infinity); offset += CHUNK) {
      const requests = fc.sample(arbitrary, { numRuns: Math.min(CHUNK, options.runs - offset), seed: options.seed + offset });
      let next = 0;
      const worker = async () => {
        while (next < requests.length && !options.exited()) {
          const req = requests[next++]!;
          record(report, req, await send(options.base, agent, req));
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      options.onProgress?.(report.runs, report);
    }
  } finally {
    clearInterval(sampler);
    agent.destroy();
  }
  if (!options.exited()) report.rssMb.push(rssMb(options.pid));
  report.exited = options.exited();
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

function record(report: FuzzReport, request: FuzzRequest, answer: Answer) {
  report.runs++;
  const row = report.endpoints.get(request.endpoint) ?? { sent: 0, byClass: {} };
  row.sent++;
  const kind = statusClass(answer.status);
  row.byClass[kind] = (row.byClass[kind] ?? 0) + 1;
  report.endpoints.set(request.endpoint, row);
  const cut = { ...request, body: request.body?.slice(0, 2000) };
  if (answer.status >= 500) report.serverErrors.push({ request: cut, answer });
  else if (answer.status === 0) report.hangs.push({ request: cut, answer });
  else if (answer.status === -1) report.connectionErrors++;
  else if (answer.status === -2) report.unsendable++;
}
