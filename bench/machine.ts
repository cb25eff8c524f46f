import os from "node:os";

/** The 1, 5 and 15 minute load averages, as a bench report prints them. */
export function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(1)).join(" / ");
}

/** The line every benchmark result starts with: what it ran on, and when. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  return `Machine: ${cpu}, ${os.cpus().length} cores, ${gib} GiB RAM, Node ${process.version}, ${os.platform()} ${os.arch()}. Date: ${new Date().toISOString()}. Load average at start: ${loadAverage()}.`;
}

/** The closing line: the machine is shared, so the load after the run belongs beside the figures. */
export function loadAtEndLine(): string {
  return `Load average at the end: ${loadAverage()} (1 / 5 / 15 min; the machine is shared, so figures move with it).`;
}
