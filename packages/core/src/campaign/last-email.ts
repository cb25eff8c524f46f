/**
 * "Never twice" under late and retried deliveries. Shopify retries webhooks for hours and
 * delivers them out of order, so a cart change can reach Cartback after an email that was
 * decided without it. Two rules follow, both pure functions of the change and the last email
 * of the campaign to the profile:
 *
 * - A change that arrives after the email and leaves nothing in the cart that the email did
 *   not show (same variants, no more of each) is old news: it opens no episode.
 * - A change the email could not have shown (it happened before the email but was learned
 *   after it) counts from when it was learned, not from when it happened: its due time is
 *   the full delay after Cartback knew of it, never already past.
 */

/** A cart line as an email showed it. */
export interface ShownLine {
  variantId: string;
  quantity: number;
}

/** The last email of a campaign to a profile: when it was decided, and the cart it showed. */
export interface LastEmail {
  at: Date;
  /** null for an email stored without its cart (sends from before carts were kept). */
  lines: ShownLine[] | null;
}

/** What a change tells these rules: when it happened, when it was learned, the cart after it. */
export interface LateChange {
  at: Date;
  receivedAt?: Date | undefined;
  lines?: ShownLine[] | undefined;
}

/** The cart as an email shows it: what the send stores, to compare later changes with. */
export function shownLines(cart: readonly ShownLine[]): ShownLine[] {
  return cart.map(({ variantId, quantity }) => ({ variantId, quantity }));
}

/** Every line of `cart` was in the email, with at least this quantity. */
export function shownBy(cart: readonly ShownLine[], email: readonly ShownLine[]): boolean {
  const shown = new Map<string, number>();
  for (const line of email) shown.set(line.variantId, (shown.get(line.variantId) ?? 0) + line.quantity);
  const now = new Map<string, number>();
  for (const line of cart) now.set(line.variantId, (now.get(line.variantId) ?? 0) + line.quantity);
  return [...now].every(([variantId, quantity]) => quantity <= (shown.get(variantId) ?? 0));
}

/** When Cartback learned of the change (never before it happened: browser clocks run fast). */
export function learnedAt(change: LateChange): Date {
  return change.receivedAt && change.receivedAt.getTime() > change.at.getTime() ? change.receivedAt : change.at;
}

/**
 * The change arrived after the email and the cart holds nothing the email did not show.
 * Within `maxAgeMs` of the email only: a shopper back weeks later with the same cart starts a
 * new abandonment.
 */
export function alreadyShown(change: LateChange, email: LastEmail | null, maxAgeMs: number): boolean {
  if (!email?.lines || !change.lines) return false;
  if (learnedAt(change).getTime() <= email.at.getTime()) return false;
  if (change.at.getTime() - email.at.getTime() > maxAgeMs) return false;
  return shownBy(change.lines, email.lines);
}

/**
 * When the change counts from for debouncing: when it happened, unless an email went out
 * between then and when Cartback learned of it; then from when it was learned.
 */
export function countsFrom(change: LateChange, email: LastEmail | null): Date {
  const learned = learnedAt(change);
  if (!email) return change.at;
  const sent = email.at.getTime();
  return change.at.getTime() <= sent && sent < learned.getTime() ? learned : change.at;
}
