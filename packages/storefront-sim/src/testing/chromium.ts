import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

// Debian's Chromium; the flags keep it from dialling Google on this closed network.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function newProfileDir(): string {
  return mkdtempSync(path.join(tmpdir(), "cartback-sf-chrome-"));
}

/** A browser on a profile folder: closing and relaunching on the same folder keeps IndexedDB. */
export function openBrowser(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ARGS,
    headless: true,
  });
}
