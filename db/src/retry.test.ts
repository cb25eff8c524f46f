import { describe, expect, it } from "vitest";
import { isRetryableConflict, retryConflicts } from "./retry.ts";

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
});
