import pino, { type Logger } from "pino";
import { stdoutDestination } from "./log-destination.ts";

export type { Logger };

// A match starts only where a run of local-part characters starts (the lookbehind): tried from
// every position inside a long run, the scan was quadratic in the run's length (a 900-character
// field took a millisecond; 100 KB of one would hold the process for seconds).
const EMAIL = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(?:@|%40)([A-Za-z0-9.-]+\.[A-Za-z]{2,})/gi;

/**
 * "jane.doe@example.com" → "j***@example.com": enough to tell addresses apart in a log. URL
 * query strings carry addresses encoded ("?q=jane.doe%40example.com"): those too.
 */
export function maskEmail(text: string): string {
  return text.replace(EMAIL, "$1***@$2");
}

const SECRET_KEYS = [
  "password", "accessToken", "adminToken", "apiSecret", "apiKey", "token", "secret",
  "authorization", "cookie", "signature", "hmac", "email", "smtpUrl", "databaseUrl",
];

/**
 * Errors carry what failed, and that can name a shopper: a driver's message quotes the query
 * and its parameters (an admin search for an address), a URL its query string. Every string
 * in a logged error (message, stack, cause, extra fields) is masked like a message.
 */
function maskError(error: unknown): unknown {
  if (!(error instanceof Error)) return maskStrings(error, 0);
  const serialized = pino.stdSerializers.err(error);
  return Object.fromEntries(Object.entries(serialized).map(([key, item]) => [key, maskStrings(item, 1)]));
}

function maskStrings(value: unknown, depth: number): unknown {
  if (typeof value === "string") return maskEmail(value);
  if (typeof value !== "object" || value === null || depth > 5) return value;
  if (Array.isArray(value)) return value.map((item) => maskStrings(item, depth + 1));
  if (value instanceof Error) return maskError(value);
  // Dates and the like are left to their serializers.
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskStrings(item, depth + 1)]));
}

/**
 * Structured JSON logs; secrets are removed and emails masked wherever they appear. Written to
 * stdout asynchronously unless a destination is given (log-destination.ts says why).
 */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const paths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
  paths.push('req.headers["x-shopify-hmac-sha256"]', 'headers["x-shopify-hmac-sha256"]');
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "cartback" },
      redact: { paths, censor: "[redacted]" },
      serializers: { err: maskError },
      // Top-level strings too: a URL or path logged beside an error may hold a query string.
      formatters: { log: (object) => maskStrings(object, 4) as Record<string, unknown> },
      hooks: {
        // Messages are free text: mask any email a caller interpolated into them.
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === "string" ? maskEmail(arg) : arg));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? stdoutDestination(),
  );
}
