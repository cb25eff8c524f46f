/**
 * Whether an error means the database could not be reached (down, restarting, refusing
 * connections) rather than a bug: such a request is worth retrying, so the event endpoints
 * answer 503 with Retry-After, which the SDK and the pixel honour.
 */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
/** SQLSTATE 08… connection exceptions; 57P01–57P03 shutdown; 53300 too many connections; 3D000 the database does not exist (dropped, or not created yet). */
const SQLSTATE = /^(08...|57P0[123]|53300|3D000)$/;
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|connection error|Cannot use a pool after calling end|the database system is (starting up|shutting down)/i;

/** Seconds a client is asked to wait before retrying during a database outage. */
export const RETRY_AFTER_SECONDS = 5;

export function isDatabaseUnavailable(error: unknown): boolean {
  // Drizzle wraps the driver's error (`cause`); aggregate errors list one per address tried.
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 10) {
    const e = queue.shift();
    if (typeof e !== "object" || e === null || seen.has(e)) continue;
    seen.add(e);
    const { code, message, cause, errors } = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === "string" && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
    if (typeof message === "string" && MESSAGES.test(message)) return true;
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return false;
}

/**
 * Runs a Remix handler; a database outage becomes 503 with Retry-After (Shopify retries a
 * webhook, the SDK its batch), anything else is rethrown for Remix's 500.
 */
export async function orUnavailable(handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    const body = { error: { code: "unavailable", message: "the database is unavailable; retry later" } };
    return Response.json(body, { status: 503, headers: { "Retry-After": String(RETRY_AFTER_SECONDS) } });
  }
}
