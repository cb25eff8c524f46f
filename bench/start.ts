// `npm run bench:start`: how long `npm start` takes to serve /healthz and the admin login,
// cold (new data directory: the migrated PGlite template copied in, first-start credentials)
// and warm, against the baseline of a bare Node HTTP server spawned the same way. The baseline
// runs right before every round of every row (interleaved), so each ratio compares one moment.
// Target (issue 18): cold PGlite /healthz ≤ 3 s after the first build.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadAtEndLine, machineLine } from "./machine.ts";
import { startNodeFlags } from "./support/start-flags.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

// CPU seconds (user + system, every thread) the process has used: unlike wall time it hardly
// moves with the shared machine's load. Linux /proc; NaN elsewhere. Ticks are 1/100 s there.
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Seconds to each path's first answer, then the CPU seconds spent up to the first one. */
async function timeToServe(args: string[], env: Record<string, string>, paths: string[]): Promise<number[]> {
  const port = await freePort();
  const started = performance.now();
  // As `npm start` runs it: with its Node flags.
  const child = spawn(process.execPath, [...startNodeFlags(), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", PORT: String(port), ...env } as unknown as NodeJS.ProcessEnv,
    stdio: "ignore",
  });
  try {
    const times: number[] = [];
    let cpu = Number.NaN;
    for (const p of paths) {
      for (;;) {
        try {
          const response = await fetch(`http://127.0.0.1:${port}${p}`);
          if (response.status < 500) break;
        } catch {}
        if (performance.now() - started > 120_000) throw new Error(`${p} never answered`);
        await new Promise((r) => setTimeout(r, 50));
      }
      times.push((performance.now() - started) / 1000);
      if (Number.isNaN(cpu)) cpu = cpuSeconds(child.pid);
    }
    return [...times, cpu];
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const rows: string[] = [];
const baselineScript = "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,'127.0.0.1')";
const baseline = () => timeToServe(["-e", baselineScript], {}, ["/"]);
let coldHealth = Number.NaN;
async function measure(label: string, run: () => Promise<number[]>) {
  const samples: number[][] = [];
  const bare: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bare.push((await baseline())[0]!);
    samples.push(await run());
  }
  const health = median(samples.map((s) => s[0]!));
  const login = median(samples.map((s) => s[1]!));
  const cpu = median(samples.map((s) => s[2]!));
  if (label.includes("cold")) coldHealth = health;
  rows.push(`| ${label} | ${health.toFixed(2)} s | ${login.toFixed(2)} s | ${samples.map((s) => s[0]!.toFixed(2)).join(", ")} | ${cpu.toFixed(2)} s | ${median(bare).toFixed(2)} s |`);
  process.stdout.write(`${label}: /healthz ${health.toFixed(2)} s (CPU ${cpu.toFixed(2)} s), login ${login.toFixed(2)} s (bare Node ${median(bare).toFixed(2)} s)\n`);
}

const machine = machineLine();
// The first build (and the PGlite template it makes) is not what this measures: do it first.
const first = mkdtempSync(path.join(tmpdir(), "cb-bench-start-"));
await timeToServe(["scripts/start.mjs"], { CARTBACK_DATA_DIR: first }, ["/healthz"]);
rmSync(first, { recursive: true, force: true });
await measure("`npm start`, cold: new data directory (PGlite)", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cb-bench-start-"));
  try {
    return await timeToServe(["scripts/start.mjs"], { CARTBACK_DATA_DIR: dir }, ["/healthz", "/auth/login"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
const warm = mkdtempSync(path.join(tmpdir(), "cb-bench-start-"));
await timeToServe(["scripts/start.mjs"], { CARTBACK_DATA_DIR: warm }, ["/healthz"]);
await measure("`npm start`, warm: existing data directory (PGlite)", () =>
  timeToServe(["scripts/start.mjs"], { CARTBACK_DATA_DIR: warm }, ["/healthz", "/auth/login"]),
);
rmSync(warm, { recursive: true, force: true });
const pg = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (pg) {
  await measure("`npm start` on PostgreSQL (DATABASE_URL)", () =>
    timeToServe(["scripts/start.mjs"], { CARTBACK_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cb-")), DATABASE_URL: pg }, ["/healthz", "/auth/login"]),
  );
}

const report = `## Start-up (\`npm run bench:start\`)

${machine}

Time from spawning the process to the first answer of \`/healthz\` and of \`/auth/login\` (the app
already built, as after the first \`npm start\`, whose build also makes the migrated PGlite template
a cold start copies). Median of ${ROUNDS} runs; before each run a bare Node HTTP server spawned the
same way (its median in the last column, measured in the same moments). CPU: user + system seconds
of the process, all threads, when /healthz first answered (a figure the machine's load hardly moves).

| what | /healthz | /auth/login | /healthz per run | CPU to /healthz | bare Node, interleaved |
|---|---:|---:|---|---:|---:|
${rows.join("\n")}

- ${coldHealth <= 3 ? "PASS" : "FAIL"} cold PGlite /healthz ≤ 3 s (issue 18): ${coldHealth.toFixed(2)} s

${loadAtEndLine()}
`;
mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
writeFileSync(path.join(ROOT, "bench/results/start.md"), report);
process.stdout.write(report);
