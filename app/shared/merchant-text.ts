/**
 * Schema issues as a merchant reads them in the admin: "Delay must be at least 1 second" next
 * to the field they typed it in, not `steps.0.delayMs: Too small: expected number to be >=1000`.
 * Each form supplies its own table of paths (the schema's) to inputs and labels.
 */
export interface FieldText {
  /** The form input the message belongs under. */
  input: string;
  /** The field's name as the form shows it. */
  label: string;
  /** How a number in the message reads: milliseconds as a duration, or a plain count. */
  unit?: "ms" | "count";
}

/** [pattern on the schema path, text]; the first match wins. */
export type FieldTable = ReadonlyArray<readonly [RegExp, FieldText | ((match: RegExpExecArray) => FieldText)]>;

export interface MerchantError {
  /** The form input to show the message under (the schema path when the table has none). */
  field: string;
  message: string;
}

const UNITS = [
  [86_400_000, "day"],
  [3_600_000, "hour"],
  [60_000, "minute"],
  [1000, "second"],
] as const;

/** 1000 → "1 second", 2_592_000_000 → "30 days"; odd values fall back to the next unit down. */
export function humanDuration(ms: number): string {
  for (const [size, name] of UNITS) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms / size === 1 ? "" : "s"}`;
  }
  return `${ms} ms`;
}

const NUMBER_BOUND = /^Too (small|big): expected number to be ([<>]=?)(-?\d+(?:\.\d+)?)$/;
const LENGTH_BOUND = /^Too (small|big): expected (string|array) to have ([<>]=?)(\d+) (characters|items)$/;

function sentence(label: string, unit: FieldText["unit"], message: string): string {
  const number = NUMBER_BOUND.exec(message);
  if (number) {
    const value = Number(number[3]);
    const shown = unit === "ms" ? humanDuration(value) : String(value);
    return `${label} must be ${number[1] === "small" ? "at least" : "at most"} ${shown}`;
  }
  const length = LENGTH_BOUND.exec(message);
  if (length) {
    const n = Number(length[4]);
    if (length[1] === "small" && n === 1) return `${label} can't be empty`;
    const what = length[2] === "string" ? "characters" : "entries";
    return `${label} must have ${length[1] === "small" ? "at least" : "at most"} ${n} ${what}`;
  }
  if (message.startsWith("Invalid option")) return `${label}: choose one of the options`;
  if (message === "Invalid email address") return `${label} must be an email address, like shop@example.com`;
  if (message.startsWith("Invalid input: expected")) return `${label} is missing or not valid`;
  // Our own schema messages say what is wanted ("an IANA time zone like Europe/Paris").
  if (/^(a|an) /.test(message)) return `${label} must be ${message}`;
  if (message.startsWith("must be ")) return `${label} ${message}`;
  if (message.startsWith("expected ")) return `${label}: use ${message.slice("expected ".length)}`;
  return `${label}: ${message}`;
}

/** The message for `path` (a schema path like "steps.0.delayMs") as the merchant's form shows it. */
export function merchantError(table: FieldTable, path: string, message: string): MerchantError {
  for (const [pattern, text] of table) {
    const match = pattern.exec(path);
    if (!match) continue;
    const field = typeof text === "function" ? text(match) : text;
    return { field: field.input, message: sentence(field.label, field.unit, message) };
  }
  return { field: path, message };
}

const NETWORK = /fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|timed out|TimeoutError|operation was aborted|socket hang up/;

/**
 * A failed call to Shopify's Admin API as the merchant should read it: what happened, then what
 * to do. The admin client reports a connection that never got an answer as "HTTP 0: fetch
 * failed", which says neither.
 */
export function explainShopifyError(text: string): string {
  const status = /\bHTTP (\d{1,3})\b/.exec(text);
  const code = status ? Number(status[1]) : null;
  const detail = text.replace(/^HTTP \d{1,3}:?\s*/, "").trim();
  if (code === 0 || (code === null && NETWORK.test(text))) {
    return `Cartback could not reach Shopify (${detail || "no answer"}). Check that this server can reach the internet (proxy, firewall, DNS) and that SHOPIFY_SHOP names your store, then try again.`;
  }
  if (code === 401 || code === 403) {
    return `Shopify refused Cartback's access token (HTTP ${code}). Check SHOPIFY_ADMIN_TOKEN and the app's API scopes, or reinstall the app, then try again.`;
  }
  if (code === 429) return "Shopify is limiting requests right now (HTTP 429). Wait a minute, then try again.";
  if (code !== null && code >= 500) {
    return `Shopify answered with a server error (HTTP ${code}); this is usually temporary. Try again in a few minutes.`;
  }
  return text;
}
