import { engineFor, parseTemplate } from "../engine.ts";
import type { ConformanceCase } from "./cases.ts";

export type Outcome = { id: string; pass: boolean; got: string };

/**
 * Runs a case on the production engine configuration (the unescaped variant: both suites
 * assume no auto-escaping, which only our HTML bodies add).
 */
export function runCase(c: ConformanceCase): Outcome {
  const engine = engineFor("text");
  let got: string;
  try {
    got = String(engine.renderSync(parseTemplate("text", c.template), structuredClone(c.data)));
  } catch (error) {
    return { id: c.id, pass: c.invalid, got: `error: ${(error as Error).message.split("\n")[0]}` };
  }
  return { id: c.id, pass: !c.invalid && c.expected.includes(got), got };
}
