import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * The README's "Install modes" section, shown in the admin so an unconfigured Cartback can say
 * how to connect a store without sending the merchant to a copy of the docs that may differ.
 * The app runs from the repository (npm start), where README.md sits.
 */
export async function readInstallGuide(root = process.cwd()): Promise<string | null> {
  const readme = await readFile(path.join(root, "README.md"), "utf8").catch(() => null);
  if (readme === null) return null;
  const start = readme.indexOf("\n## Install modes");
  if (start < 0) return null;
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start + 1, end < 0 ? undefined : end).trim();
}
