import { classifySmtpError } from "@cartback/core/campaign/retry";
import net from "node:net";
import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import SMTPPool from "nodemailer/lib/smtp-pool/index.js";
import { type OutgoingMessage, toNodemailer } from "./message.ts";
import type { MailTransport, SendResult } from "./transport.ts";

export interface SmtpOptions {
  url: string;
  maxConnections?: number;
  /** Connection, greeting and socket-inactivity deadline. */
  timeoutMs?: number;
  /**
   * Deadline of one whole send, waiting for a pooled connection included: a send still waiting
   * then fails (it never reached the relay); one already on the wire gets up to `timeoutMs` more
   * to finish, so its report is true. Both kept well under the outbox lease (5 min) so that a
   * stuck relay cannot outlive a worker's claim.
   */
  sendTimeoutMs?: number;
}

export const SMTP_TIMEOUT_MS = 15_000;
export const SMTP_SEND_TIMEOUT_MS = 60_000;
/** nodemailer's error for a message still queued in a pool being closed. */
const POOL_CLOSED = "Connection pool was closed";

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

// The pool is constructed directly: `createTransport({ url, pool, ... })` replaces every option
// by what it parses from the URL, which silently meant one connection per message and
// nodemailer's default timeouts (minutes, longer than the outbox lease).
function createPool(options: SmtpOptions, timeout: number) {
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
  return { pool, transporter: nodemailer.createTransport(pool) };
}

/**
 * The whole message composed once into one buffer, handed to the pool as raw: streamed through
 * nodemailer's MIME tree to the socket, a message went out in dozens of small writes (one system
 * call each with TCP_NODELAY), the largest item in a profile of the worker. The SMTP data stream
 * still escapes leading dots and ends the message.
 */
async function composed(message: OutgoingMessage) {
  const raw = await new MailComposer(toNodemailer(message)).compile().build();
  return { envelope: { from: message.from.address, to: [message.to] }, raw };
}

/** Rejects at `deadline` (epoch ms), naming the whole-send limit it enforces. */
function deadlineError(limitMs: number): Error {
  return Object.assign(new Error(`SMTP send gave no answer within ${limitMs / 1000} s`), { code: "ETIMEDOUT", deadline: true });
}

/** A send whose deadline passed while it was still queued in a closed pool: it never reached the relay. */
function neverSent(expired: Error): SendResult {
  return {
    type: "failed",
    outcome: classifySmtpError(undefined, undefined),
    error: `${expired.message} (still queued for a connection; never sent)`.slice(0, 500),
  };
}

function withDeadline<T>(work: Promise<T>, deadline: number, limitMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(deadlineError(limitMs)), Math.max(1, deadline - Date.now()));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * Pooled SMTP: connections are reused across sends, so throughput is not bound by handshakes.
 * A send that fails without an SMTP reply (refused, reset, timed out) retires the pool it used:
 * nodemailer never frees a pool slot whose connection could not be opened, so after
 * `maxConnections` such failures a reused pool would queue every later send forever.
 */
export function createSmtpTransport(options: SmtpOptions): MailTransport {
  const timeout = options.timeoutMs ?? SMTP_TIMEOUT_MS;
  const sendTimeout = options.sendTimeoutMs ?? SMTP_SEND_TIMEOUT_MS;
  let current = createPool(options, timeout);
  let closed = false;
  const retire = (broken: typeof current) => {
    if (closed || broken !== current) return;
    current = createPool(options, timeout);
    // Sends still queued in the old pool fail at once ("pool was closed") and are retried;
    // those on a live connection finish there.
    broken.pool.close();
  };
  return {
    kind: "smtp",
    async send(message) {
      const deadline = Date.now() + sendTimeout;
      const mail = await composed(message);
      for (;;) {
        const used = current;
        const work = used.transporter.sendMail(mail);
        try {
          const info = await withDeadline(work, deadline, sendTimeout);
          return { type: "sent", response: String(info.response ?? ""), raw: null };
        } catch (error) {
          if ((error as { deadline?: boolean }).deadline) return afterDeadline(used, work, error as Error);
          const e = (error ?? {}) as SmtpErrorShape;
          // Still queued when another send retired its pool: it never reached the relay, so it
          // goes to the fresh pool now rather than costing an attempt and a retry delay.
          if (!closed && used !== current && e.message === POOL_CLOSED) {
            if (Date.now() < deadline) continue;
            // Its deadline passed in the same moment another send's retired the pool.
            return neverSent(deadlineError(sendTimeout));
          }
          if (typeof e.responseCode !== "number") retire(used);
          return {
            type: "failed",
            outcome: classifySmtpError(e.responseCode, e.command),
            error: String(e.message ?? e.code ?? error).slice(0, 500),
          };
        }
      }
    },
    async close() {
      closed = true;
      current.pool.close();
    },
  };

  /**
   * A send past its deadline goes on inside nodemailer: still queued for a connection, or on the
   * wire. Reported failed as it stood, it was retried and went out twice (same Message-ID; the
   * 500-journey run on a loaded machine did this). Closing its pool fails the queued ones at
   * once, before they reach the relay: those are the failures. One on the wire finishes there,
   * bounded by the socket-inactivity timeout (and, against a relay that trickles, one more
   * `timeout`), and its own outcome is the answer.
   */
  async function afterDeadline(used: typeof current, work: Promise<{ response?: unknown }>, expired: Error): Promise<SendResult> {
    retire(used);
    let cap: NodeJS.Timeout | undefined;
    const capped = new Promise<never>((_, reject) => {
      cap = setTimeout(() => reject(expired), timeout);
    });
    try {
      const info = await Promise.race([work, capped]);
      return { type: "sent", response: String(info.response ?? ""), raw: null };
    } catch (error) {
      const e = (error ?? {}) as SmtpErrorShape;
      if (e.message === POOL_CLOSED) return neverSent(expired);
      return {
        type: "failed",
        outcome: classifySmtpError(e.responseCode, e.command),
        error: String(e.message ?? e.code ?? error).slice(0, 500),
      };
    } finally {
      clearTimeout(cap);
    }
  }
}
