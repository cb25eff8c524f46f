import { type Db, campaignSends } from "@cartback/db";
import { and, desc, eq } from "drizzle-orm";
import type { OutgoingMessage } from "../mail/message.ts";

export interface OutboxRow {
  id: string;
  to: string;
  subject: string;
  status: string;
  step: number;
  createdAt: string;
  sentAt: string | null;
  error: string | null;
}

/** The admin's Outbox list: newest first. */
export async function listOutbox(db: Db, shop: string, limit: number): Promise<OutboxRow[]> {
  const rows = await db.select().from(campaignSends).where(eq(campaignSends.shop, shop)).orderBy(desc(campaignSends.createdAt)).limit(limit);
  return rows.map((r) => ({
    id: r.id,
    to: r.toEmail,
    subject: (r.message as unknown as OutgoingMessage).subject ?? "",
    status: r.status,
    step: r.step,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
    error: r.lastError,
  }));
}

export async function getOutboxMessage(db: Db, shop: string, id: string) {
  const [row] = await db.select().from(campaignSends).where(and(eq(campaignSends.shop, shop), eq(campaignSends.id, id)));
  if (!row) return null;
  const message = row.message as unknown as OutgoingMessage;
  return { id: row.id, to: row.toEmail, status: row.status, subject: message.subject, html: message.html, headers: { "Message-ID": message.messageId, ...message.headers }, raw: row.raw !== null };
}
