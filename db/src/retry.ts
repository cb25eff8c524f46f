/**
 * PostgreSQL ends one of two transactions that wait on each other (deadlock_detected, 40P01)
 * or cannot be serialized (40001); the other commits. Such a transaction did nothing and is
 * safe to run again. Writers of one shopper's rows take ingest's advisory locks in ingest's
 * order (ingest/owners.ts), so this is a safety net, not the normal path: lost conflicts are
 * counted per process and shown on /healthz, where a rising number means a lock-order bug.
 */
const RETRYABLE = new Set(["40P01", "40001"]);

// One count per process: the server build and the source graph may each load this module.
const COUNTER = Symbol.for("cartback.db.lostConflicts");
export interface LostConflicts {
  deadlocks: number;
  serializationFailures: number;
}
const registry = globalThis as Record<symbol, LostConflicts | undefined>;
registry[COUNTER] ??= { deadlocks: 0, serializationFailures: 0 };
const lost = registry[COUNTER];

/** Conflicts this process's transactions lost (each run again, up to its tries), by kind, since it started. */
export function conflictRetries(): LostConflicts {
  return { ...lost };
}

function retryableCode(error: unknown): string | null {
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE.has(code)) return code;
  }
  return null;
}

export function isRetryableConflict(error: unknown): boolean {
  return retryableCode(error) !== null;
}

/** Runs `attempt` again (up to `tries` in all, after a short random pause) when it lost a deadlock. */
export async function retryConflicts<T>(attempt: () => Promise<T>, tries = 4): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const code = retryableCode(error);
      if (code === "40P01") lost.deadlocks++;
      else if (code !== null) lost.serializationFailures++;
      if (n >= tries || code === null) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * n));
    }
  }
}
