import { classifySmtpError } from "@cartback/core/campaign/retry";
import net from "node:net";
import nodemailer from "nodemailer";
import SMTPPool from "nodemailer/lib/smtp-pool/index.js";
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

function connectNoDelay(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true, timeout: timeoutMs });
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.once("error", fail);
    socket.once("timeout", () => fail(Object.assign(new Error("Connection timeout"), { code: "ETIMEDOUT" })));
    socket.once("connect", () => {
      socket.off("error", fail);
      socket.removeAllListeners("timeout");
      socket.setTimeout(0);
      resolve(socket);
    });
  });
}

/** Pooled SMTP: connections are reused across sends, so throughput is not bound by handshakes. */
export function createSmtpTransport(options: SmtpOptions): MailTransport {
  const timeout = options.timeoutMs ?? 20_000;
  // The pool is constructed directly: `createTransport({ url, pool, ... })` replaces every option
  // by what it parses from the URL, which silently meant one connection per message and
  // nodemailer's default timeouts (minutes, longer than the outbox lease).
  const pool = new SMTPPool({
    url: options.url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: Number.POSITIVE_INFINITY,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // nodemailer leaves Nagle on: the small trailing write of each message then waits for the
    // relay's delayed ACK (~40 ms), capping a connection at ~20 messages/s. Plain connections
    // are opened here with TCP_NODELAY (nodemailer's documented proxy hook); implicit TLS
    // (smtps, port 465) keeps nodemailer's own socket.
    getSocket(socketOptions, callback) {
      const port = Number(socketOptions.port) || (socketOptions.secure ? 465 : 587);
      if (socketOptions.secure || port === 465) return callback(null, false);
      connectNoDelay(socketOptions.host ?? "localhost", port, timeout).then(
        (connection) => callback(null, { connection }),
        (error: Error) => callback(error, false),
      );
    },
  });
  const transporter = nodemailer.createTransport(pool);
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
