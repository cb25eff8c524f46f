import path from "node:path";
import type { Config } from "../config.ts";
import { createOutboxTransport } from "./outbox.ts";
import { createSmtpTransport } from "./smtp.ts";
import type { MailTransport } from "./transport.ts";

/** SMTP_URL when set, else the local outbox under the data directory. */
export function createMailTransport(config: Pick<Config, "smtpUrl" | "dataDir">): MailTransport {
  if (config.smtpUrl) return createSmtpTransport({ url: config.smtpUrl });
  return createOutboxTransport(outboxDir(config));
}

export function outboxDir(config: Pick<Config, "dataDir">): string {
  return path.resolve(config.dataDir, "outbox");
}
