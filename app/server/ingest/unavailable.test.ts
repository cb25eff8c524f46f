import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, orUnavailable } from "./unavailable.ts";

describe("a database outage", () => {
  it("is told from a bug by the driver's code or message, also when wrapped", () => {
    const pg = (code: string, message = "x") => Object.assign(new Error(message), { code });
    expect(isDatabaseUnavailable(pg("ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(pg("57P01"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("query failed", { cause: pg("3D000", 'database "cartback" does not exist') }))).toBe(true);
    expect(isDatabaseUnavailable(pg("23505", "duplicate key"))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("undefined is not a function"))).toBe(false);
  });

  it("becomes a JSON 503 with Retry-After; anything else is thrown on", async () => {
    const answer = await orUnavailable(async () => {
      throw Object.assign(new Error('database "cartback" does not exist'), { code: "3D000" });
    });
    expect(answer.status).toBe(503);
    expect(answer.headers.get("Retry-After")).toBe("5");
    expect(await answer.json()).toMatchObject({ error: { code: "unavailable" } });
    await expect(orUnavailable(async () => Promise.reject(new TypeError("a bug")))).rejects.toThrow("a bug");
  });
});
