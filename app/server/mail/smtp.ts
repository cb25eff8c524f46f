import { classifySmtpError } from "@cartback/core/campaign/retry";
import nodemailer from "nodemailer";
import { toNodemailer } from "./message.ts";
import type { MailTransport } from "./transport.ts";

export interface SmtpOptions {
  url: string;
  maxConnections?: number;
  /** Kept well under the outbox lease so a slow relay cannot outlive a worker's claim. */
  timeoutMs?: number;
}

interface SmtpErrorShape {
  responseCode?: number;
  command?: string;
  code?: string;
  message?: string;
}

/** Pooled SMTP: connections are reused across sends, so throughput is not bound by handshakes. */
export function createSmtpTransport(options: SmtpOptions): MailTransport {
  const timeout = options.timeoutMs ?? 20_000;
  const transporter = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: Number.POSITIVE_INFINITY,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    kind: "smtp",
    async send(message) {
      try {
        const info = await transporter.sendMail(toNodemailer(message));
        return { type: "sent", response: String(info.response ?? ""), raw: null };
      } catch (error) {
        const e = (error ?? {}) as SmtpErrorShape;
        return {
          type: "failed",
          outcome: classifySmtpError(e.responseCode, e.command),
          error: String(e.message ?? e.code ?? error).slice(0, 500),
        };
      }
    },
    async close() {
      transporter.close();
    },
  };
}
