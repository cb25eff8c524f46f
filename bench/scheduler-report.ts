// The section bench/scheduler.ts writes to bench/results/scheduler.md.
import os from "node:os";

export interface Run { sent: number; seconds: number; rate: number; p50: number; p99: number; max: number; rssMb: number[]; cpuS: number }

export interface Results {
  baseline: number;
  baselineAfter: number;
  small: { idle: number; run: Run };
  idle: number;
  large: Run;
  /** A backlog of BACKLOG all due at once, PENDING in the table: capacity. */
  capacity: Run;
  under: Run;
  rate: number;
  received: { accepted: number; unique: number };
  loadStart: number[];
  loadEnd: number[];
  /** The raw client's CPU per message in the baseline runs (its process does nothing else then). */
  rawCpuMsPerMessage: number;
}

interface Scale { PENDING: number; DUE: number; WINDOW_S: number; WORKERS: number; BASELINE_N: number; BACKLOG: number }

export function renderSection(r: Results, { PENDING, DUE, WINDOW_S, WORKERS, BASELINE_N, BACKLOG }: Scale): string {
  const ceiling = (r.baseline + r.baselineAfter) / 2;
  const peak = (xs: number[]) => Math.max(...xs).toFixed(0);
  const cpu = os.cpus();
  const loads = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");
  const title = process.env.BENCH_TITLE ? `\n${process.env.BENCH_TITLE}\n` : "";
  return `## Scheduler (\`npm run bench:scheduler\`)
${title}
Measured ${new Date().toISOString()} on ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}, load average (1 / 5 / 15 min) at the start ${loads(r.loadStart)}, at the end ${loads(r.loadEnd)} (machine shared with other jobs). PostgreSQL on localhost; ${WORKERS} worker process(es) (\`app/server/worker/fixture-worker.ts\`: the real worker; the shopper read model is derived from the profile id, so profile reads are not part of this figure); SMTP sink (smtp-server, mail not parsed, Message-IDs counted) in its own process (\`bench/scheduler-sink.ts\`).

| measure | value |
|---|---|
| baseline: raw SMTP rate (${BASELINE_N.toLocaleString("en")} messages), same message, the worker's transport (pool of 5 connections, 16 in flight) → same sink, no database; before the worker runs / right after its main scenario | ${r.baseline.toFixed(0)} / ${r.baselineAfter.toFixed(0)} msg/s (mean ${ceiling.toFixed(0)}) |
| **capacity: ${BACKLOG.toLocaleString("en")} due at once with ${PENDING.toLocaleString("en")} pending: sends/s (issue 18's target: ≥ 0.8 of the mean baseline)** | **${r.capacity.rate.toFixed(0)} (${(r.capacity.rate / ceiling).toFixed(2)} of the mean baseline)**; lateness p99 ${r.capacity.p99.toFixed(2)} s (the backlog) |
| CPU per message: raw client (baseline, its own process) / worker (capacity; main scenario) | ${r.rawCpuMsPerMessage.toFixed(3)} ms / ${((r.capacity.cpuS * 1000) / Math.max(r.capacity.sent, 1)).toFixed(3)} ms; ${((r.large.cpuS * 1000) / Math.max(r.large.sent, 1)).toFixed(3)} ms |
| burst of 5,000 due with 10k pending: sends/s | ${r.small.run.rate.toFixed(0)} |
| ${DUE.toLocaleString("en")} due over ${WINDOW_S} s with ${PENDING.toLocaleString("en")} pending: sends/s | ${r.large.rate.toFixed(0)} (${((r.large.rate / ceiling) * 100).toFixed(0)} % of the mean baseline; ${(r.large.sent / Math.max(r.large.cpuS, 0.001)).toFixed(0)} per worker CPU-second) |
| same: lateness p50 / p99 / max | ${r.large.p50.toFixed(2)} s / ${r.large.p99.toFixed(2)} s / ${r.large.max.toFixed(2)} s |
| under capacity (${r.rate}/s for 30 s, same ${PENDING.toLocaleString("en")}-episode table): lateness p50 / p99 | ${r.under.p50.toFixed(3)} s / ${r.under.p99.toFixed(3)} s |
| worker RSS idle: 10k pending → ${PENDING.toLocaleString("en")} pending | ${r.small.idle.toFixed(0)} MB → ${r.idle.toFixed(0)} MB |
| worker RSS peak while sending: 10k pending → ${PENDING.toLocaleString("en")} pending (main; capacity) | ${peak(r.small.run.rssMb)} MB → ${peak(r.large.rssMb)} MB; ${peak(r.capacity.rssMb)} MB |
| sink: messages accepted / distinct Message-IDs (whole run, baseline included) | ${r.received.accepted} / ${r.received.unique} |

Targets: ≥ 500 sends/s; p99 lateness ≤ 1 s under capacity; RSS flat in the number of pending episodes.
Issue 18: capacity ≥ 0.8 of the mean baseline (the capacity row, measured between the two baselines); p99 lateness ≤ 1 s under capacity.
The arrival rate of the main scenario (${(DUE / WINDOW_S).toFixed(0)}/s) is above capacity when sends/s is lower than that, so its lateness measures the backlog, not the scheduler's reaction time; the under-capacity row does.
`;
}

