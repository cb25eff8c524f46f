import type { CartEvent, CartLineInput } from "../events/event.ts";
import type { CartAttribution } from "./attribution.ts";
import type { Mutation } from "./witnesses.ts";

/** One line of one cart token while walking a profile's events; times are epoch ms. */
export interface Line {
  variantId: string;
  quantity: number;
  unitPrice: number | null;
  currency: string | null;
  firstAddedAt: number;
  lastChangedAt: number;
}
export type Cart = Map<string, Line>;
/**
 * A change a snapshot showed that no delta before it explained: a delta stamped just after
 * it (another witness with a slower clock) is the same mutation and must not count twice.
 */
export interface Unexplained { at: number; variantId: string; kind: "add" | "remove"; quantity: number }
export interface ChargeJson { orderId: string; at: number; cartToken: string | null; checkoutToken: string | null }

export type Step =
  | { at: number; id: string; kind: "snapshot"; token: string; lines: CartLineInput[] }
  | { at: number; id: string; kind: "mutation"; mutation: Mutation }
  | { at: number; id: string; kind: "charge"; event: Extract<CartEvent, { name: "Charged" }> };

export interface WalkStart {
  carts: [token: string, lines: Line[]][];
  unexplained: [token: string, entries: Unexplained[]][];
  charges: ChargeJson[];
  changedAt: number | null;
}

/**
 * The carts of one profile (one per token) as the steps of its history are applied in
 * canonical order: snapshots replace a token's lines, mutations move them, charges empty them.
 */
export class CartWalk {
  readonly carts: Map<string, Cart>;
  readonly unexplained: Map<string, Unexplained[]>;
  readonly charges: ChargeJson[];
  changedAt: number | null;

  constructor(
    private readonly windowMs: number,
    private readonly attribution: CartAttribution,
    start: WalkStart | null,
  ) {
    // Copies: the state folded from is JSON that callers keep.
    this.carts = new Map(start?.carts.map(([token, lines]) => [token, new Map(lines.map((l) => [l.variantId, { ...l }]))]));
    this.unexplained = new Map(start?.unexplained.map(([token, list]) => [token, list.map((u) => ({ ...u }))]));
    this.charges = [...(start?.charges ?? [])];
    this.changedAt = start?.changedAt ?? null;
  }

  apply(step: Step): void {
    switch (step.kind) {
      case "snapshot":
        this.snapshot(step);
        return;
      case "mutation":
        this.mutation(step.mutation);
        return;
      case "charge":
        this.charge(step.at, step.event);
        return;
      default: {
        const unreachable: never = step;
        throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private touch(at: number): void {
    this.changedAt = this.changedAt === null ? at : Math.max(this.changedAt, at);
  }

  private cartOf(token: string): Cart {
    const cart = this.carts.get(token) ?? new Map<string, Line>();
    this.carts.set(token, cart);
    return cart;
  }

  /** The snapshot is the cart's lines now; what changed unexplained is kept for late deltas. */
  private snapshot(step: Extract<Step, { kind: "snapshot" }>): void {
    const before = this.cartOf(step.token);
    const after: Cart = new Map();
    const diff = (this.unexplained.get(step.token) ?? []).filter((u) => step.at - u.at <= this.windowMs);
    const shown = (variantId: string, d: number) => {
      if (d !== 0) diff.push({ at: step.at, variantId, kind: d > 0 ? "add" : "remove", quantity: Math.abs(d) });
    };
    for (const l of step.lines) {
      const old = before.get(l.variantId);
      const same = old !== undefined && old.quantity === l.quantity;
      after.set(l.variantId, {
        variantId: l.variantId,
        quantity: l.quantity,
        unitPrice: l.unitPrice ?? old?.unitPrice ?? null,
        currency: l.unitPrice !== null ? l.currency : (old?.currency ?? l.currency),
        firstAddedAt: old?.firstAddedAt ?? step.at,
        lastChangedAt: same ? old.lastChangedAt : step.at,
      });
      shown(l.variantId, l.quantity - (old?.quantity ?? 0));
      if (!same) this.touch(step.at);
    }
    for (const old of before.values()) {
      if (!after.has(old.variantId)) {
        shown(old.variantId, -old.quantity);
        this.touch(step.at);
      }
    }
    this.carts.set(step.token, after);
    this.unexplained.set(step.token, diff);
  }

  /** An add or remove, less what a snapshot just before it already showed. */
  private mutation(m: Mutation): void {
    const cart = this.cartOf(m.token);
    const current = cart.get(m.variantId);
    let quantity = m.kind === "add" ? (m.quantity ?? 0) : (m.quantity ?? current?.quantity ?? 0);
    for (const u of this.unexplained.get(m.token) ?? []) {
      if (quantity <= 0) break;
      if (u.variantId !== m.variantId || u.kind !== m.kind || m.at - u.at > this.windowMs || u.quantity <= 0) continue;
      const explained = Math.min(u.quantity, quantity);
      u.quantity -= explained;
      quantity -= explained;
    }
    if (quantity <= 0) return;
    if (m.kind === "add") {
      cart.set(m.variantId, {
        variantId: m.variantId,
        quantity: (current?.quantity ?? 0) + quantity,
        unitPrice: m.unitPrice ?? current?.unitPrice ?? null,
        currency: m.unitPrice !== null ? m.currency : (current?.currency ?? m.currency),
        firstAddedAt: current?.firstAddedAt ?? m.at,
        lastChangedAt: m.at,
      });
      this.touch(m.at);
    } else if (current) {
      const left = current.quantity - quantity;
      if (left > 0) cart.set(m.variantId, { ...current, quantity: left, lastChangedAt: m.at });
      else cart.delete(m.variantId);
      this.touch(m.at);
    }
  }

  /** Empties the purchased carts, or every line added before the order when none is known. */
  private charge(at: number, e: Extract<CartEvent, { name: "Charged" }>): void {
    this.charges.push({ orderId: e.orderId, at, cartToken: e.identifiers.cartToken ?? null, checkoutToken: e.identifiers.checkoutToken ?? null });
    const known = this.attribution.purchasedTokens(e).filter((t) => this.carts.has(t));
    if (known.length > 0) {
      for (const token of known) {
        if ((this.carts.get(token)?.size ?? 0) > 0) this.touch(at);
        this.carts.set(token, new Map());
        this.unexplained.delete(token);
      }
      return;
    }
    for (const cart of this.carts.values()) {
      for (const line of [...cart.values()]) {
        if (line.firstAddedAt <= at) {
          cart.delete(line.variantId);
          this.touch(at);
        }
      }
    }
  }
}
