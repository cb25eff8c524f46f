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

interface Open {
  mutation: Mutation;
  sources: Set<string>;
}

/** `deltas` in canonical order, each with its cart token. */
export function groupWitnesses(deltas: readonly { delta: Delta; token: string }[], windowMs: number): Mutation[] {
  const open = new Map<string, Open[]>();
  const mutations: Mutation[] = [];
  for (const { delta, token } of deltas) {
    const kind = delta.name === "Added to Cart" ? "add" : "remove";
    const key = `${token}\u0000${delta.line.variantId}\u0000${kind}\u0000${delta.line.quantity ?? "all"}`;
    const at = delta.occurredAt.getTime();
    const candidates = open.get(key) ?? [];
    const joined = candidates.find((c) => at - c.mutation.at <= windowMs && !c.sources.has(delta.source));
    if (joined) {
      joined.sources.add(delta.source);
      joined.mutation.witnesses.push(delta.id);
      if (joined.mutation.unitPrice === null && delta.line.unitPrice !== null) {
        joined.mutation.unitPrice = delta.line.unitPrice;
        joined.mutation.currency = delta.line.currency;
      }
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
    open.set(key, [...candidates.filter((c) => at - c.mutation.at <= windowMs), { mutation, sources: new Set([delta.source]) }]);
  }
  return mutations;
}
