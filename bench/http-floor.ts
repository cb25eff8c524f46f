/**
 * `npm run bench:http-floor`: what this machine's HTTP stack allows at 16 to 1,024 connections,
 * before any application code. A bare Node server reads each `/collect` body and answers 204 (no
 * parse, no database); the load is bench:ingest's own (bench/ingest-load.ts, autocannon in a second
 * process, one request in flight per connection). With N connections each waiting for its answer,
 * the mean latency is N ÷ throughput (Little's law), so a p99 target at N connections needs at
 * least N ÷ target answers per second; this bench shows whether the machine has them at all.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { loadAtEndLine, machineLine } from "./machine.ts";

const here = import.meta.dirname;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = [16, 64, 256, 1024];
const TARGET_P99_MS = 100;

interface Result { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number }

const server = createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(204, { "access-control-allow-origin": "*" });
    res.end();
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as { port: number }).port;

function load(connections: number, seconds: number): Promise<Result> {
  const spec = {
    url: `http://127.0.0.1:${port}`, path: "/collect", kind: "single", headers: { "content-type": "text/plain" },
    shops: [{ shop: "floor.myshopify.com", apiKey: "-", pixelKey: "-" }], run: `floor-${connections}-${seconds}`, connections, seconds,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "ingest-load.ts"), JSON.stringify(spec)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as Result) : reject(new Error(`load generator exited ${code}`))));
  });
}

const header = machineLine();
const rows: string[] = [];
const verdicts: string[] = [];
for (const connections of CONNECTIONS) {
  await load(connections, 2); // warm-up
  const cpuBefore = process.cpuUsage();
  const r = await load(connections, SECONDS);
  const cpu = process.cpuUsage(cpuBefore);
  const perSecond = Math.round(r.requests.average);
  const needed = Math.ceil(connections / (TARGET_P99_MS / 1000));
  rows.push(`| ${connections} | ${perSecond.toLocaleString("en-US")} | ${r.latency.p50} / ${r.latency.p99} | ${Math.round(connections / perSecond * 1000)} | ${needed.toLocaleString("en-US")} | ${Math.round((cpu.user + cpu.system) / (r.requests.average * SECONDS))} | ${r.non2xx + r.errors} |`);
  verdicts.push(`- ${connections} connections: a bare server's p99 is ${r.latency.p99} ms: p99 ≤ ${TARGET_P99_MS} ms is ${r.latency.p99 <= TARGET_P99_MS ? "within" : "**beyond**"} what this machine answers with no application at all`);
}
server.close();

const text = `## HTTP floor (\`npm run bench:http-floor\`)

${header}

A bare Node HTTP server (reads the body, answers 204: no parse, no database) under bench:ingest's
\`/collect\` load (\`bench/ingest-load.ts\`: autocannon in a second process, one request in flight per
connection, ${SECONDS} s per phase after a 2 s warm-up). Little's law: with N connections each
waiting for its answer, mean latency = N ÷ throughput, so p99 ≤ ${TARGET_P99_MS} ms at N connections
needs more than N ÷ 0.1 s answers per second. Both processes share the machine's cores.

| connections | answers/s | p50 / p99 ms | N ÷ throughput, ms | answers/s a ${TARGET_P99_MS} ms mean needs | server CPU µs / answer | non-2xx + errors |
|---:|---:|---:|---:|---:|---:|---:|
${rows.join("\n")}

${verdicts.join("\n")}

${loadAtEndLine()}
`;
writeFileSync(path.join(here, "results", "http-floor.md"), text);
process.stdout.write(text);
