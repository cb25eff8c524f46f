// One process per PGlite directory. PGlite keeps the database in memory and writes it back to
// its files, so a second process on the same directory silently loses one side's writes (the
// CLI's, when the server later flushes). A lock file names the holder; a holder that is gone
// (crash, kill -9, container restart reusing its pid) does not block the next start.
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`Cartback is already running on ${dataDir} (pid ${pid}): stop it first, or use PostgreSQL (DATABASE_URL) to run the CLI beside the server`);
    this.name = "DataDirLockedError";
  }
}

interface Holder {
  pid: number;
  /** Boot id and start time of the holder process (Linux), to tell a reused pid apart. */
  started: string | null;
}

/** Lock files this process holds: a second open here is refused too. */
const held = new Set<string>();

function processIdentity(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces); start time is field 22.
    const startTime = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    return startTime ? `${boot}:${startTime}` : null;
  } catch {
    return null;
  }
}

function isLive(lockPath: string, holder: Holder): boolean {
  // Our own pid but not our lock: a previous process that had the same pid (container restart).
  if (holder.pid === process.pid) return held.has(lockPath);
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const now = processIdentity(holder.pid);
  return !(holder.started && now && now !== holder.started);
}

function read(file: string): { raw: string; holder: Holder | null } | null {
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(raw) as Partial<Holder>;
    return { raw, holder: Number.isInteger(parsed.pid) ? { pid: parsed.pid!, started: parsed.started ?? null } : null };
  } catch {
    return { raw, holder: null };
  }
}

/** Creates the lock file whole or not at all (link fails if it exists). */
function tryCreate(lockPath: string): boolean {
  const temp = `${lockPath}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(temp, JSON.stringify({ pid: process.pid, started: processIdentity(process.pid) }));
  try {
    linkSync(temp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

/** Moves a stale lock aside; if a live one was moved instead (a race), puts it back. */
function removeStale(lockPath: string, staleRaw: string): void {
  const aside = `${lockPath}.stale.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (read(aside)?.raw !== staleRaw) {
    try {
      linkSync(aside, lockPath);
    } catch {}
  }
  unlinkSync(aside);
}

/**
 * Takes `lockPath` for this process or throws DataDirLockedError naming the holder.
 * Returns the release function (idempotent).
 */
export function lockDataDir(lockPath: string, shownAs: string): () => void {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(lockPath)) {
      held.add(lockPath);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(lockPath);
        if (read(lockPath)?.holder?.pid === process.pid) unlinkSync(lockPath);
      };
    }
    const current = read(lockPath);
    if (!current) continue;
    if (current.holder && isLive(lockPath, current.holder)) throw new DataDirLockedError(shownAs, current.holder.pid);
    removeStale(lockPath, current.raw);
  }
  throw new Error(`could not take the lock ${lockPath}: it keeps changing`);
}
