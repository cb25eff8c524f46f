/** A stored delivery or event whose apply failed waits this long per failed attempt... */
const RETRY_STEP_MS = 5_000;
/** ...and never longer than this, so a fixed bug drains the backlog within minutes. */
const RETRY_MAX_MS = 5 * 60_000;

/** How long an inbox row (webhook or storefront event) waits after its `failures`-th failed apply. */
export function inboxRetryMs(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_STEP_MS * failures);
}
