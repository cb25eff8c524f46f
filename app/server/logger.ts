import pino, { type Logger } from "pino";

export type { Logger };

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/** "jane.doe@example.com" → "j***@example.com": enough to tell addresses apart in a log. */
export function maskEmail(text: string): string {
  return text.replace(EMAIL, "$1***@$2");
}

const SECRET_KEYS = [
  "password", "accessToken", "adminToken", "apiSecret", "apiKey", "token", "secret",
  "authorization", "cookie", "signature", "hmac", "email", "smtpUrl", "databaseUrl",
];

/** Structured JSON logs; secrets are removed and emails masked wherever they appear. */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const paths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
  paths.push('req.headers["x-shopify-hmac-sha256"]', 'headers["x-shopify-hmac-sha256"]');
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "cartback" },
      redact: { paths, censor: "[redacted]" },
      hooks: {
        // Messages are free text: mask any email a caller interpolated into them.
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === "string" ? maskEmail(arg) : arg));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}
