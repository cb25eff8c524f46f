import type { DecisionOutcome } from "@cartback/core/campaign/reasons";
import { type Db, campaignDecisions } from "@cartback/db";

export interface DecisionRecord {
  shop: string;
  profileId: string;
  campaignId: string;
  episodeId: string;
  step: number;
  outcome: DecisionOutcome;
  reason?: string | null;
  until?: Date | null;
  detail?: string | null;
  at: Date;
}

/** Appends to the profile's timeline; never updated, so history answers "why?" later too. */
export async function recordDecision(db: Db, record: DecisionRecord) {
  await db.insert(campaignDecisions).values({
    ...record,
    reason: record.reason ?? null,
    until: record.until ?? null,
    detail: record.detail ?? null,
  });
}
