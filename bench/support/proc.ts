import { readdirSync, readFileSync } from "node:fs";

/** User + system CPU ticks (1/100 s) from a /proc `stat` file (a process's or a thread's), or null once it has gone. */
export function statTicks(file: string): number | null {
  try {
    // The command name, in parentheses, may hold spaces: the fields start after its last ")".
    const fields = readFileSync(file, "utf8").split(") ").at(-1)!.split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/**
 * CPU seconds of every PostgreSQL process (backends, WAL writer, checkpointer): the server is
 * shared, so this is an upper bound on one client's share, exact only on a quiet machine.
 */
export function postgresCpuS(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("postgres")) continue;
    } catch {
      continue; // Gone between the listing and the read.
    }
    ticks += statTicks(`/proc/${pid}/stat`) ?? 0;
  }
  return ticks / 100;
}
