import { type Db, campaignDecisions, campaignSends } from "@cartback/db";
import { and, asc, desc, eq } from "drizzle-orm";
import { maskEmail } from "../logger.ts";
import { formatAddress, type OutgoingMessage } from "../mail/message.ts";
import { TEST_EPISODE } from "./preview.ts";

/**
 * What the admin's Outbox shows. Addresses are masked as in the logs (a***@example.com): the
 * admin is for checking what went out, not for reading a shopper list.
 */
export interface OutboxRow {
  id: string;
  to: string;
  subject: string;
  status: string;
  /** A test send from the Campaigns page: went to the merchant, not to a shopper. */
  test: boolean;
  step: number;
  createdAt: string;
  sentAt: string | null;
  error: string | null;
}

type SendRow = typeof campaignSends.$inferSelect;

const isTest = (row: SendRow) => row.episodeId === TEST_EPISODE && row.status.startsWith("test");

function toRow(r: SendRow): OutboxRow {
  const test = isTest(r);
  return {
    id: r.id,
    to: maskEmail(r.toEmail),
    subject: (r.message as unknown as OutgoingMessage).subject ?? "",
    // A test's status says how it went, like any other send's.
    status: test ? (r.status === "test" ? "sent" : "failed") : r.status,
    test,
    step: r.step,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
    error: r.lastError,
  };
}

/** The admin's Outbox list: newest first. */
export async function listOutbox(db: Db, shop: string, limit: number): Promise<OutboxRow[]> {
  const rows = await db.select().from(campaignSends).where(eq(campaignSends.shop, shop)).orderBy(desc(campaignSends.createdAt)).limit(limit);
  return rows.map(toRow);
}

export interface OutboxDecision {
  at: string;
  outcome: string;
  reason: string | null;
  until: string | null;
  detail: string | null;
}

export interface OutboxMessage extends OutboxRow {
  from: string;
  replyTo: string | null;
  html: string;
  headers: Record<string, string>;
  /** Kept as an .eml file in the data directory's outbox (no SMTP_URL). */
  raw: boolean;
  /** Every evaluation of this step of the episode: why it went out when it did. */
  decisions: OutboxDecision[];
}

/** One email as it was sent, with the decisions behind it; null when it is not this shop's. */
export async function getOutboxMessage(db: Db, shop: string, id: string): Promise<OutboxMessage | null> {
  const [row] = await db.select().from(campaignSends).where(and(eq(campaignSends.shop, shop), eq(campaignSends.id, id)));
  if (!row) return null;
  const message = row.message as unknown as OutgoingMessage;
  const decisions = isTest(row)
    ? []
    : await db
        .select()
        .from(campaignDecisions)
        .where(and(eq(campaignDecisions.shop, shop), eq(campaignDecisions.episodeId, row.episodeId), eq(campaignDecisions.step, row.step)))
        .orderBy(asc(campaignDecisions.at), asc(campaignDecisions.id));
  const headers = Object.fromEntries(Object.entries({ "Message-ID": message.messageId, ...message.headers }).map(([k, v]) => [k, maskEmail(String(v))]));
  return {
    ...toRow(row),
    // The shop's own addresses: shown as they are.
    from: formatAddress(message.from),
    replyTo: message.replyTo,
    html: message.html,
    headers,
    raw: row.raw !== null,
    decisions: decisions.map((d) => ({ at: d.at.toISOString(), outcome: d.outcome, reason: d.reason, until: d.until?.toISOString() ?? null, detail: d.detail })),
  };
}
