import type { IdentityKind } from "@cartback/core/identity/stitch";
import type { ProfileState } from "@cartback/core/profile/state";
import type { CartEvent } from "@cartback/core/events/event";
import { type Db, profileEvents, profileIdentities, profiles } from "@cartback/db";
import { and, asc, eq } from "drizzle-orm";
import { type ProfileRow, rowToEvent, rowToProfileState } from "./codec.ts";

/** Merges chain at most this deep (each merge points at a survivor that may merge later). */
const MAX_MERGE_HOPS = 16;

/** The profile a (possibly merged) id stands for today, or null when none. */
export async function resolveProfile(db: Db, shop: string, profileId: string): Promise<ProfileRow | null> {
  let id = profileId;
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    const [row] = await db.select().from(profiles).where(and(eq(profiles.shop, shop), eq(profiles.id, id)));
    if (!row) return null;
    if (!row.mergedInto) return row;
    id = row.mergedInto;
  }
  return null;
}

/**
 * The read model the campaign engine evaluates at send time. A merged id resolves to its
 * survivor, whose `profileId` is then the survivor's id.
 */
export async function loadProfileState(db: Db, shop: string, profileId: string): Promise<ProfileState | null> {
  const row = await resolveProfile(db, shop, profileId);
  return row ? rowToProfileState(row) : null;
}

/** Emails are stored lower-cased; cart tokens without `?key=`. */
export async function findProfileId(db: Db, shop: string, kind: IdentityKind, value: string): Promise<string | null> {
  const normalized = kind === "email" ? value.trim().toLowerCase() : kind === "cartToken" ? value.split("?")[0]! : value;
  const [row] = await db
    .select({ profileId: profileIdentities.profileId })
    .from(profileIdentities)
    .where(and(eq(profileIdentities.shop, shop), eq(profileIdentities.key, `${kind}:${normalized}`)));
  return row?.profileId ?? null;
}

/** A profile's event history, oldest first: the "why" view and the GDPR export. */
export async function listProfileEvents(db: Db, shop: string, profileId: string): Promise<CartEvent[]> {
  const rows = await db
    .select()
    .from(profileEvents)
    .where(and(eq(profileEvents.shop, shop), eq(profileEvents.profileId, profileId)))
    .orderBy(asc(profileEvents.occurredAt), asc(profileEvents.id));
  return rows.map(rowToEvent);
}
