import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A real SMTP server on a random local port; every accepted message is parsed back by mailparser. */
export interface MailSink {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  messages: ParsedMail[];
  /** Resolves with the first message (already received or still to come) that matches, or rejects after `timeoutMs`. */
  waitForMail(predicate: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  /** Messages to one address (case-insensitive). */
  to(address: string): ParsedMail[];
  /** When the sink accepted a message (Date.now() at the end of DATA). */
  receivedAt(mail: ParsedMail): number | undefined;
  close(): Promise<void>;
}

export function recipients(mail: ParsedMail): string[] {
  const list = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return list.flatMap((group) => group.value.map((v) => (v.address ?? "").toLowerCase()));
}

export async function startMailSink(): Promise<MailSink> {
  const messages: ParsedMail[] = [];
  const arrivals = new WeakMap<ParsedMail, number>();
  const waiters = new Set<{ predicate: (mail: ParsedMail) => boolean; resolve: (mail: ParsedMail) => void }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      // 250 as soon as the data ends, parsing after: a sink slow to answer (a busy test
      // process) would make the app retry a message it already delivered.
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const at = Date.now();
        callback();
        simpleParser(Buffer.concat(chunks)).then((mail) => {
          arrivals.set(mail, at);
          messages.push(mail);
          for (const waiter of [...waiters]) {
            if (!waiter.predicate(mail)) continue;
            waiters.delete(waiter);
            waiter.resolve(mail);
          }
        }, () => {});
      });
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    receivedAt: (mail) => arrivals.get(mail),
    to: (address) => messages.filter((m) => recipients(m).includes(address.toLowerCase())),
    waitForMail(predicate, timeoutMs = 30_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve: (mail: ParsedMail) => { clearTimeout(timer); resolve(mail); } };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching email within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
