import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

/** Debian's Chromium (installed by .ci/run), never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps dialling Google on this closed network.
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export function newProfileDir(prefix = "cartback-chrome-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A browser on a profile folder: closing and relaunching on the same folder keeps IndexedDB. */
export function launchPersistentChromium(profileDir = newProfileDir()): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** Where tests leave screenshots for people to look at (gitignored). */
export function artifactPath(name: string): string {
  const file = path.join(ROOT, "test-artifacts", name);
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}
