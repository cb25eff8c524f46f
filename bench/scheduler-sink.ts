/**
 * The benchmark's SMTP sink in its own process, so that accepting mail does not compete with
 * the bench's own event loop (baseline client, database polling). Prints its URL on stdout; on
 * SIGTERM prints `{"accepted":n,"unique":m}` (messages given a 250, distinct Message-IDs) and exits.
 */
import { startSmtpSink } from "../app/server/mail/testing.ts";

const sink = await startSmtpSink({ parse: false });
process.stdout.write(`${sink.url}\n`);
// Its parent gone (the bench killed), it exits rather than linger.
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => {
  const unique = new Set(sink.accepted.map((a) => a.messageId)).size;
  process.stdout.write(`${JSON.stringify({ accepted: sink.accepted.length, unique })}\n`, () => process.exit(0));
});
