import type { DecisionOutcome } from "@cartback/core/campaign/reasons";
import { type Db, campaignDecisions } from "@cartback/db";

export interface DecisionRecord {
  shop: string;
  profileId: string;
  campaignId: string;
  episodeId: string;
  step: number;
  /** The step's A/B variant when it has one (core campaign/variant.ts). */
  variant?: string | null;
  outcome: DecisionOutcome;
  reason?: string | null;
  until?: Date | null;
  detail?: string | null;
  at: Date;
}

/** Appends to the profile's timeline; never updated, so history answers "why?" later too. */
export async function recordDecision(db: Db, record: DecisionRecord) {
  await recordDecisions(db, [record]);
}

/** Many decisions in one statement, in order (their ids follow it). */
export async function recordDecisions(db: Db, records: DecisionRecord[]) {
  if (records.length === 0) return;
  await db.insert(campaignDecisions).values(records.map((r) => ({ ...r, reason: r.reason ?? null, until: r.until ?? null, detail: r.detail ?? null, variant: r.variant ?? null })));
}
