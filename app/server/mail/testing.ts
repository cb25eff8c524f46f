import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface SmtpSink {
  url: string;
  /** Every message accepted, parsed back. */
  messages: ParsedMail[];
  /** Reject a recipient with an SMTP reply (e.g. 450 or 550) by returning its code. */
  rejectRecipient: (address: string) => number | null;
  close(): Promise<void>;
}

/** A real SMTP server on a random local port for tests and the benchmark. */
export async function startSmtpSink(options: { parse?: boolean } = {}): Promise<SmtpSink> {
  const sink: SmtpSink = {
    url: "",
    messages: [],
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
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        if (options.parse === false) {
          sink.messages.push({ headers: new Map(), messageId: /^message-id:\s*(\S+)/im.exec(raw.toString())?.[1] } as unknown as ParsedMail);
          return callback();
        }
        simpleParser(raw).then(
          (parsed) => {
            sink.messages.push(parsed);
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
