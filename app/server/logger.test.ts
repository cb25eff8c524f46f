import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, maskEmail } from "./logger.ts";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: "info", destination }), lines };
}

describe("logger", () => {
  it("masks emails inside messages", () => {
    const { logger, lines } = capture();
    logger.info("sent to jane.doe@example.com");
    expect(lines.join("")).toContain("j***@example.com");
    expect(lines.join("")).not.toContain("jane.doe");
  });

  it("redacts secret and email fields at any depth it knows", () => {
    const { logger, lines } = capture();
    logger.info({ email: "a@b.co", accessToken: "shpat_x", nested: { password: "p", apiSecret: "s" } }, "x");
    const text = lines.join("");
    for (const secret of ["a@b.co", "shpat_x", '"p"', '"s"']) expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
  });

  it("masks emails in logged errors, their causes and URL-encoded query strings", () => {
    const { logger, lines } = capture();
    const cause = Object.assign(new Error("invalid byte sequence"), { params: ["\u0000", "jane.doe@example.com"] });
    const error = new Error("Failed query: select … params: jane.doe@example.com", { cause });
    logger.error({ err: error, url: "/app/profiles?q=jane.doe%40example.com" }, "request failed for /app/profiles?q=jane.doe%40example.com");
    const text = lines.join("");
    expect(text).not.toMatch(/jane\.doe/);
    expect(text).toContain("j***@example.com");
    expect(text).toContain("Failed query");
  });

  it("keeps the domain so addresses can still be told apart", () => {
    expect(maskEmail("x a.b+c@shop.example.org y")).toBe("x a***@shop.example.org y");
  });
});
