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

const ASCII_ONLY = /^[\t\n\r\x20-\x7e]*$/;

/** nodemailer's message options for one of ours; Message-ID is ours so a retry keeps it. */
export function toNodemailer(message: OutgoingMessage) {
  return {
    messageId: message.messageId,
    from: formatAddress(message.from),
    to: message.to,
    replyTo: message.replyTo ?? undefined,
    subject: message.subject,
    html: message.html,
    text: message.text,
    headers: message.headers,
    // nodemailer otherwise counts every letter of the body (two global regex matches, ~10 % of a
    // worker's CPU) to choose quoted-printable over base64; for an ASCII body it always picks
    // quoted-printable. (A non-ASCII subject then gets Q-encoded words: equally valid.)
    textEncoding: ASCII_ONLY.test(message.html) && ASCII_ONLY.test(message.text) ? ("quoted-printable" as const) : undefined,
  };
}
