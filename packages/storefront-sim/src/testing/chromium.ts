import { launchPersistentChromium, newProfileDir as profileDir } from "@cartback/testing/chromium";
import type { BrowserContext } from "playwright-core";

export function newProfileDir(): string {
  return profileDir("cartback-sf-chrome-");
}

/** A browser on a profile folder: closing and relaunching on the same folder keeps IndexedDB. */
export function openBrowser(directory: string): Promise<BrowserContext> {
  return launchPersistentChromium(directory);
}
