import { describe, expect, it } from "vitest";
import { conflictRetries, isRetryableConflict, retryConflicts } from "./retry.ts";

describe("retrying a transaction that lost a deadlock", () => {
  const deadlock = Object.assign(new Error("Failed query: delete from profiles"), { cause: Object.assign(new Error("deadlock detected"), { code: "40P01" }) });

  it("finds the SQLSTATE under Drizzle's wrapper, and only for deadlocks and serialization failures", () => {
    expect(isRetryableConflict(deadlock)).toBe(true);
    expect(isRetryableConflict(Object.assign(new Error("x"), { code: "40001" }))).toBe(true);
    expect(isRetryableConflict(Object.assign(new Error("unique"), { code: "23505" }))).toBe(false);
    expect(isRetryableConflict("nope")).toBe(false);
  });

  it("runs the transaction again after a lost deadlock, and gives up on anything else or after its tries", async () => {
    let calls = 0;
    expect(await retryConflicts(async () => (++calls < 3 ? Promise.reject(deadlock) : "done"))).toBe("done");
    expect(calls).toBe(3);
    calls = 0;
    const failing = (error: unknown) => async () => {
      calls++;
      throw error;
    };
    await expect(retryConflicts(failing(new Error("other")))).rejects.toThrow("other");
    expect(calls).toBe(1);
    calls = 0;
    await expect(retryConflicts(failing(deadlock), 2)).rejects.toBe(deadlock);
    expect(calls).toBe(2);
  });

  it("counts every lost conflict by kind, the last one given up on too", async () => {
    const before = conflictRetries();
    const serialization = Object.assign(new Error("could not serialize"), { code: "40001" });
    let calls = 0;
    await retryConflicts(async () => (++calls === 1 ? Promise.reject(serialization) : "done"));
    await expect(retryConflicts(async () => Promise.reject(deadlock), 2)).rejects.toBe(deadlock);
    await expect(retryConflicts(async () => Promise.reject(new Error("other")))).rejects.toThrow("other");
    const after = conflictRetries();
    expect(after.deadlocks - before.deadlocks).toBe(2);
    expect(after.serializationFailures - before.serializationFailures).toBe(1);
  });
});
