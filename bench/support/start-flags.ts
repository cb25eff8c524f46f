// The Node flags `npm start` runs the server with (package.json's start script), so that a
// bench of a server part (a sync's RSS, the cold start) measures it as shipped.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function startNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  return scripts.start!.split(/\s+/).filter((arg) => arg.startsWith("--"));
}
