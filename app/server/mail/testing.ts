import net, { type AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface SmtpSink {
  url: string;
  /** Every message accepted, parsed back (unless started with parse: false). */
  messages: ParsedMail[];
  /** Every acceptance (the moment the 250 was given), duplicates included. */
  accepted: { messageId: string; at: number }[];
  /** Reject a recipient with an SMTP reply (e.g. 450 or 550) by returning its code. */
  rejectRecipient: (address: string) => number | null;
  close(): Promise<void>;
}

/** A real SMTP server on a random local port for tests and the benchmark. */
/** `acceptAfterMs`: the 250 for each message comes this late (a slow relay). */
export async function startSmtpSink(options: { parse?: boolean; port?: number; acceptAfterMs?: number } = {}): Promise<SmtpSink> {
  const sink: SmtpSink = {
    url: "",
    messages: [],
    accepted: [],
    rejectRecipient: () => null,
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const code = sink.rejectRecipient(address.address);
      if (code === null) return callback();
      const error = new Error(code >= 500 ? "no such user" : "try again later") as Error & { responseCode: number };
      error.responseCode = code;
      callback(error);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => setTimeout(accept, options.acceptAfterMs ?? 0));
      const accept = () => {
        const raw = Buffer.concat(chunks);
        const messageId = /^message-id:\s*(\S+)/im.exec(raw.toString("latin1"))?.[1] ?? "";
        if (options.parse === false) {
          sink.accepted.push({ messageId, at: performance.now() });
          return callback();
        }
        simpleParser(raw).then(
          (parsed) => {
            sink.messages.push(parsed);
            sink.accepted.push({ messageId, at: performance.now() });
            callback();
          },
          (error: Error) => callback(error),
        );
      };
    },
  });
  // A client killed mid-session (the crash test does that on purpose) resets its connection.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

/** A local port nothing listens on (taken and released at once): a relay that is down. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
