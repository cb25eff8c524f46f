import { campaignDecisions, type Db, profileIdentities } from "@cartback/db";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { ProfileState } from "@cartback/core/profile/state";
import { listProfileEvents, loadProfileState } from "../profiles/repository.ts";
import { profiles } from "@cartback/db";

export type TimelineEntry =
  | { kind: "event"; at: string; name: string; source: string; id: string; detail: Record<string, unknown> }
  | { kind: "decision"; at: string; outcome: string; reason: string | null; step: number; campaignId: string; until: string | null; detail: string | null };

export interface ProfileView {
  state: ProfileState;
  identities: string[];
  timeline: TimelineEntry[];
}

/**
 * Everything the admin shows about one shopper: identities, live cart and a single timeline of
 * what they did (events) and what Cartback decided (sends and skips, with reasons).
 */
export async function profileView(db: Db, shop: string, profileId: string): Promise<ProfileView | null> {
  const state = await loadProfileState(db, shop, profileId);
  if (!state) return null;
  // Merged-away profiles keep their own events and decisions: show them under the survivor.
  const merged = await db
    .select({ id: profiles.id })
    .from(profiles)
    .where(and(eq(profiles.shop, shop), eq(profiles.mergedInto, state.profileId)));
  const ids = [state.profileId, ...merged.map((row) => row.id)];
  const [identities, events, decisions] = await Promise.all([
    db
      .select({ key: profileIdentities.key })
      .from(profileIdentities)
      .where(and(eq(profileIdentities.shop, shop), inArray(profileIdentities.profileId, ids))),
    Promise.all(ids.map((id) => listProfileEvents(db, shop, id))),
    db
      .select()
      .from(campaignDecisions)
      .where(and(eq(campaignDecisions.shop, shop), inArray(campaignDecisions.profileId, ids)))
      .orderBy(asc(campaignDecisions.at), asc(campaignDecisions.id)),
  ]);
  const timeline: TimelineEntry[] = [
    ...events.flat().map((event): TimelineEntry => {
      const { id, shop: _shop, occurredAt, receivedAt: _received, source, name, ...detail } = event as unknown as Record<string, unknown> & {
        id: string; shop: string; occurredAt: Date; receivedAt: Date; source: string; name: string;
      };
      return { kind: "event", at: occurredAt.toISOString(), name, source, id, detail };
    }),
    ...decisions.map((row): TimelineEntry => ({
      kind: "decision",
      at: row.at.toISOString(),
      outcome: row.outcome,
      reason: row.reason,
      step: row.step,
      campaignId: row.campaignId,
      until: row.until?.toISOString() ?? null,
      detail: row.detail,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return { state, identities: identities.map((row) => row.key).sort(), timeline };
}
