import { afterAll, beforeAll } from "vitest";
import { createSmtpTransport } from "./smtp.ts";
import { type SmtpSink, startSmtpSink } from "./testing.ts";
import type { MailTransport } from "./transport.ts";

export interface SmtpForTests {
  /** Set once the file's tests start. */
  readonly sink: SmtpSink;
  readonly smtp: MailTransport;
}

/**
 * A real SMTP sink and a transport to it for one test file: started before its tests, closed
 * after them. Kept apart from testing.ts, which the benchmark imports outside vitest.
 */
export function smtpForTests(options: { parse?: boolean; maxConnections?: number } = {}): SmtpForTests {
  const held: { sink?: SmtpSink; smtp?: MailTransport } = {};
  beforeAll(async () => {
    held.sink = await startSmtpSink(options.parse === undefined ? {} : { parse: options.parse });
    held.smtp = createSmtpTransport({ url: held.sink.url, ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}) });
  });
  afterAll(async () => {
    await held.smtp?.close();
    await held.sink?.close();
  });
  return {
    get sink() {
      if (!held.sink) throw new Error("the SMTP sink starts in beforeAll: use it inside a test");
      return held.sink;
    },
    get smtp() {
      if (!held.smtp) throw new Error("the SMTP transport starts in beforeAll: use it inside a test");
      return held.smtp;
    },
  };
}
