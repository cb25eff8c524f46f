import type { CartEvent } from "@cartback/core/events/event";
import { type IdentityKey, type ProfileRef, identityKeys, keyOf, planStitch } from "@cartback/core/identity/stitch";

/**
 * Runs identity stitching for one batch in memory, over the owners already stored for the
 * batch's identifiers; the caller then writes the outcome in a few set-based statements.
 */
export interface StitchOutcome {
  created: ProfileRef[];
  /** Merged-away profile → final survivor. */
  merges: Map<string, string>;
  /** The time of the event that caused each survivor's merges. */
  mergedAt: Map<string, Date>;
  /** Identifier key → final owner, for identifiers new to the store. */
  newKeys: Map<string, string>;
  /** Event id → final profile. */
  profileOf: Map<string, string>;
}

export function stitchBatch(
  events: readonly CartEvent[],
  owners: Map<string, ProfileRef>,
  newProfile: (event: CartEvent) => ProfileRef,
): StitchOutcome {
  const created: ProfileRef[] = [];
  const merges = new Map<string, string>();
  const mergedAt = new Map<string, Date>();
  const newKeys = new Map<string, IdentityKey>();
  const assigned = new Map<string, string>();
  const refs = new Map<string, ProfileRef>();
  for (const ref of owners.values()) refs.set(ref.profileId, ref);

  const own = (profileId: string, keys: IdentityKey[]) => {
    const ref = refs.get(profileId)!;
    for (const key of keys) {
      owners.set(keyOf(key), ref);
      newKeys.set(keyOf(key), key);
    }
  };

  for (const event of events) {
    const plan = planStitch(identityKeys(event.identifiers), owners);
    switch (plan.type) {
      case "create": {
        const ref = newProfile(event);
        refs.set(ref.profileId, ref);
        created.push(ref);
        own(ref.profileId, plan.keys);
        assigned.set(event.id, ref.profileId);
        break;
      }
      case "attach":
        own(plan.profileId, plan.newKeys);
        assigned.set(event.id, plan.profileId);
        break;
      case "merge": {
        const survivor = refs.get(plan.survivor)!;
        for (const gone of plan.merged) {
          merges.set(gone, plan.survivor);
          for (const [key, ref] of owners) if (ref.profileId === gone) owners.set(key, survivor);
        }
        mergedAt.set(plan.survivor, event.occurredAt);
        own(plan.survivor, plan.newKeys);
        assigned.set(event.id, plan.survivor);
        break;
      }
      default: {
        const unreachable: never = plan;
        throw new Error(`unknown stitch plan ${JSON.stringify(unreachable)}`);
      }
    }
  }

  const final = (id: string): string => {
    let current = id;
    for (let seen = merges.get(current); seen !== undefined; seen = merges.get(current)) current = seen;
    return current;
  };
  for (const [gone] of merges) merges.set(gone, final(gone));
  return {
    created: created.filter((ref) => !merges.has(ref.profileId)).concat(created.filter((ref) => merges.has(ref.profileId))),
    merges,
    mergedAt,
    newKeys: new Map([...newKeys.keys()].map((key) => [key, final(owners.get(key)!.profileId)])),
    profileOf: new Map([...assigned].map(([eventId, profileId]) => [eventId, final(profileId)])),
  };
}
