import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import { toNodemailer } from "./message.ts";
import type { MailTransport } from "./transport.ts";

/** The id part of a Message-ID as a safe file name. */
export function outboxFileName(messageId: string): string {
  return `${messageId.replace(/^<|>$/g, "").replace(/[^A-Za-z0-9._-]/g, "_")}.eml`;
}

/**
 * No SMTP configured: each message is composed exactly as it would be sent and kept as an
 * .eml file under `dir` (the raw text also goes into the send's row, shown in the admin).
 */
export function createOutboxTransport(dir: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  let ready: Promise<unknown> | null = null;
  return {
    kind: "outbox",
    async send(message) {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const info = await composer.sendMail(toNodemailer(message));
      const raw = (info.message as Buffer).toString("utf8");
      // Written aside and renamed into place: whoever lists the outbox (a mail client, a script,
      // the demo's test) never reads a half-written .eml.
      const file = path.join(dir, outboxFileName(message.messageId));
      const partial = `${file}.${process.pid}.partial`;
      await writeFile(partial, raw);
      await rename(partial, file);
      return { type: "sent", response: "stored in outbox", raw };
    },
    async close() {},
  };
}

/**
 * Removes the outbox copies of these messages (a redacted customer's or shop's mail). Missing
 * files are fine: with SMTP configured there never were any. Returns how many were removed.
 */
export async function removeOutboxFiles(dir: string, messageIds: string[]): Promise<number> {
  let removed = 0;
  for (const id of messageIds) {
    const file = path.join(dir, outboxFileName(id));
    try {
      await rm(file);
      removed++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return removed;
}
