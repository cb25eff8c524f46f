import type Mail from "nodemailer/lib/mailer/index.js";

/** A fully rendered email, ready for a transport; stored as-is in the outbox row. */
export interface OutgoingMessage {
  messageId: string;
  from: { name: string | null; address: string };
  replyTo: string | null;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export function formatAddress(from: OutgoingMessage["from"]): string {
  if (!from.name) return from.address;
  return `"${from.name.replace(/["\\\r\n]/g, "")}" <${from.address}>`;
}

/** nodemailer takes a ready part as `raw` (mail-composer), which its typings leave out. */
interface RawPart extends Mail.AttachmentLike {
  raw: string;
}

const ASCII_ONLY = /^[\t\n\r\x20-\x7e]*$/;
/** RFC 5322's limit on a line, CRLF excluded. */
const MAX_LINE = 998;

function shortLines(body: string): boolean {
  let start = 0;
  for (;;) {
    const end = body.indexOf("\n", start);
    if ((end === -1 ? body.length : end) - start > MAX_LINE) return false;
    if (end === -1) return true;
    start = end + 1;
  }
}

/**
 * An ASCII body with no line over 998 characters goes as it is (7bit): quoted-printable would
 * only re-encode every `=` of the HTML, and that encoding was a tenth of a worker's CPU per
 * email. (The SMTP data stream still turns bare LFs into CRLF and escapes leading dots.)
 * Anything else is left to nodemailer, which picks quoted-printable or base64.
 */
function part(body: string, contentType: string): string | RawPart {
  if (!body || !ASCII_ONLY.test(body) || !shortLines(body)) return body;
  return { raw: `Content-Type: ${contentType}; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${body}` };
}

/** nodemailer's message options for one of ours; Message-ID is ours so a retry keeps it. */
export function toNodemailer(message: OutgoingMessage) {
  return {
    messageId: message.messageId,
    from: formatAddress(message.from),
    to: message.to,
    replyTo: message.replyTo ?? undefined,
    subject: message.subject,
    html: part(message.html, "text/html"),
    text: part(message.text, "text/plain"),
    headers: message.headers,
  };
}
