import type { Identifiers } from "../events/event.ts";

/**
 * Identity stitching. Each identifier (a browser's clientId, a cart or checkout token, a
 * customer id, an email, a phone) belongs to at most one profile. An event's identifiers
 * are linked: when they belong to several profiles, those profiles merge into the oldest,
 * which keeps both histories (events move, nothing is dropped). Profiles are therefore the
 * connected components of "seen together in one event", whatever the arrival order.
 */
export const IDENTITY_KINDS = ["customerId", "email", "phone", "checkoutToken", "cartToken", "clientId"] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export interface IdentityKey {
  kind: IdentityKind;
  value: string;
}

export function identityKeys(ids: Identifiers): IdentityKey[] {
  const keys: IdentityKey[] = [];
  for (const kind of IDENTITY_KINDS) {
    const value = ids[kind];
    if (value) keys.push({ kind, value });
  }
  return keys;
}

export function keyOf(key: IdentityKey): string {
  return `${key.kind}:${key.value}`;
}

export interface ProfileRef {
  profileId: string;
  createdAt: Date;
}

export type StitchPlan =
  | { type: "create"; keys: IdentityKey[] }
  | { type: "attach"; profileId: string; newKeys: IdentityKey[] }
  | { type: "merge"; survivor: string; merged: string[]; newKeys: IdentityKey[] };

/** `owners`: the current owner of each identifier (by keyOf), for the event's identifiers. */
export function planStitch(keys: readonly IdentityKey[], owners: ReadonlyMap<string, ProfileRef>): StitchPlan {
  const profiles = new Map<string, ProfileRef>();
  const newKeys: IdentityKey[] = [];
  for (const key of keys) {
    const owner = owners.get(keyOf(key));
    if (owner) profiles.set(owner.profileId, owner);
    else newKeys.push(key);
  }
  if (profiles.size === 0) return { type: "create", keys: [...keys] };
  const [survivor, ...merged] = [...profiles.values()].sort(oldestFirst);
  if (merged.length === 0) return { type: "attach", profileId: survivor!.profileId, newKeys };
  return { type: "merge", survivor: survivor!.profileId, merged: merged.map((p) => p.profileId), newKeys };
}

export function oldestFirst(a: ProfileRef, b: ProfileRef): number {
  const dt = a.createdAt.getTime() - b.createdAt.getTime();
  if (dt !== 0) return dt;
  return a.profileId < b.profileId ? -1 : a.profileId > b.profileId ? 1 : 0;
}

/**
 * The identity keys of the buyers among `events` (its Charged events), or null when none is a
 * purchase: stored with a queued delivery, so a due step of a shopper who owns one of them waits
 * until the purchase is applied rather than mailing them after they bought.
 */
export function purchaseKeys(events: readonly { name: string; identifiers: Identifiers }[]): string[] | null {
  const keys = new Set<string>();
  for (const event of events) {
    if (event.name === "Charged") for (const key of identityKeys(event.identifiers)) keys.add(keyOf(key));
  }
  return keys.size > 0 ? [...keys] : null;
}
