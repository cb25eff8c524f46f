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
  };
}
