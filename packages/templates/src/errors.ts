import { LiquidError } from "liquidjs";

export type TemplateField = "subject" | "preheader" | "html";
export type LimitName = "parse" | "render" | "memory" | "output" | "nesting";

export type TemplateSyntaxError = { type: "syntax_error"; field: TemplateField; message: string; line?: number; column?: number };
export type TemplateRenderError = { type: "render_error"; field: TemplateField; message: string; line?: number; column?: number };
export type LimitExceeded = { type: "limit_exceeded"; field: TemplateField; limit: LimitName; message: string };

const LIMIT_MESSAGES: [RegExp, LimitName][] = [
  [/parse length limit exceeded/, "parse"],
  [/template render limit exceeded/, "render"],
  [/memory alloc limit exceeded/, "memory"],
];

function limitOf(error: unknown): LimitName | undefined {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    // Thousands of nested blocks overflow liquidjs's recursive parser before any limit trips.
    if (current instanceof RangeError && /call stack/i.test(current.message)) return "nesting";
    messages.push(current.message);
    current = (current as { originalError?: unknown }).originalError;
  }
  for (const [pattern, limit] of LIMIT_MESSAGES) if (messages.some((m) => pattern.test(m))) return limit;
  return undefined;
}

function positionOf(error: unknown): { line?: number; column?: number } {
  if (!LiquidError.is(error)) return {};
  const token = (error as unknown as { token?: { getPosition?: () => [number, number] } }).token;
  const position = token?.getPosition?.();
  return position === undefined ? {} : { line: position[0], column: position[1] };
}

/** liquidjs appends ", line:3, col:5" to messages; the position travels separately here. */
function plainMessage(error: unknown): string {
  const original = (error as { originalError?: unknown }).originalError;
  const message = original instanceof Error ? original.message : error instanceof Error ? error.message : String(error);
  return message.replace(/, line:\d+, col:\d+$/, "").split("\n")[0] ?? message;
}

/** Maps whatever liquidjs threw to a typed failure; limits win so that abuse reads as abuse. */
export function templateFailure(
  kind: "syntax_error" | "render_error",
  field: TemplateField,
  error: unknown,
): TemplateSyntaxError | TemplateRenderError | LimitExceeded {
  const limit = limitOf(error);
  if (limit !== undefined) {
    return { type: "limit_exceeded", field, limit, message: `${field}: ${limit} limit exceeded` };
  }
  return { type: kind, field, message: plainMessage(error), ...positionOf(error) };
}
