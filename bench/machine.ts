import os from "node:os";

/** The line every benchmark result starts with: what it ran on, and when. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  return `Machine: ${cpu}, ${os.cpus().length} cores, ${gib} GiB RAM, Node ${process.version}, ${os.platform()} ${os.arch()}. Date: ${new Date().toISOString()}. Load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")}.`;
}
