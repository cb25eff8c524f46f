import type { SmtpOutcome } from "@cartback/core/campaign/retry";
import type { OutgoingMessage } from "./message.ts";

export type SendResult =
  | { type: "sent"; response: string; raw: string | null }
  | { type: "failed"; outcome: SmtpOutcome; error: string };

/** Where emails go: a real SMTP relay, or the local outbox when none is configured. */
export interface MailTransport {
  readonly kind: "smtp" | "outbox";
  send(message: OutgoingMessage): Promise<SendResult>;
  close(): Promise<void>;
}
