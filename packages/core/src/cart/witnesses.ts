import type { Delta } from "./timeline.ts";

/**
 * One mutation, several witnesses: the pixel, the SDK and an API caller each report the
 * same add with their own event id and clock. Deltas of the same cart, variant, direction
 * and quantity from *different* sources within `windowMs` of the first are one mutation;
 * two reports from the same source are two mutations (a double click adds twice).
 */
export interface Mutation {
  /** Id and time of the earliest witness: where the mutation sits on the timeline. */
  id: string;
  at: number;
  token: string;
  kind: "add" | "remove";
  variantId: string;
  /** null: the whole line. */
  quantity: number | null;
  unitPrice: number | null;
  currency: string | null;
  witnesses: string[];
}

/**
 * A mutation a later witness may still join (JSON, stored with a profile's fold): younger
 * than the window at the end of the events folded so far.
 */
export interface OpenMutation {
  key: string;
  at: number;
  sources: string[];
  priced: boolean;
}

interface Open {
  /** null: a mutation of earlier events, already applied. */
  mutation: Mutation | null;
  at: number;
  sources: Set<string>;
  priced: boolean;
}

export interface Grouped {
  mutations: Mutation[];
  /** Mutations still open at `until` (the time of the last event folded). */
  open(until: number): OpenMutation[];
  /**
   * False when a delta supplied the price of an earlier, unpriced mutation: that price
   * belongs on a line already folded, so the caller folds the whole history instead.
   */
  continues: boolean;
}

/** `deltas` in canonical order, each with its cart token, all after the `earlier` mutations. */
export function groupWitnesses(deltas: readonly { delta: Delta; token: string }[], windowMs: number, earlier: readonly OpenMutation[] = []): Grouped {
  const open = new Map<string, Open[]>();
  for (const o of earlier) {
    const list = open.get(o.key) ?? [];
    list.push({ mutation: null, at: o.at, sources: new Set(o.sources), priced: o.priced });
    open.set(o.key, list);
  }
  const mutations: Mutation[] = [];
  let continues = true;
  for (const { delta, token } of deltas) {
    const kind = delta.name === "Added to Cart" ? "add" : "remove";
    // JSON, not a control-character join: the key is stored in a jsonb fold, which refuses NUL.
    const key = JSON.stringify([token, delta.line.variantId, kind, delta.line.quantity]);
    const at = delta.occurredAt.getTime();
    const candidates = open.get(key) ?? [];
    const joined = candidates.find((c) => at - c.at <= windowMs && !c.sources.has(delta.source));
    if (joined) {
      joined.sources.add(delta.source);
      if (!joined.priced && delta.line.unitPrice !== null) {
        joined.priced = true;
        if (joined.mutation) {
          joined.mutation.unitPrice = delta.line.unitPrice;
          joined.mutation.currency = delta.line.currency;
        } else continues = false;
      }
      joined.mutation?.witnesses.push(delta.id);
      continue;
    }
    const mutation: Mutation = {
      id: delta.id,
      at,
      token,
      kind,
      variantId: delta.line.variantId,
      quantity: delta.line.quantity,
      unitPrice: delta.line.unitPrice,
      currency: delta.line.currency,
      witnesses: [delta.id],
    };
    mutations.push(mutation);
    // Windows only move forward: drop candidates that can no longer be joined.
    open.set(key, [...candidates.filter((c) => at - c.at <= windowMs), { mutation, at, sources: new Set([delta.source]), priced: mutation.unitPrice !== null }]);
  }
  return {
    mutations,
    continues,
    open: (until) =>
      [...open].flatMap(([key, list]) => list.filter((c) => until - c.at <= windowMs).map((c) => ({ key, at: c.at, sources: [...c.sources], priced: c.priced }))),
  };
}
