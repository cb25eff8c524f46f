/** Makes the migrated PGlite template under .cache/ when missing or older than the newest migration. */
export function ensurePgliteTemplate(): boolean;
/** Copies the template into `<dataDir>/pglite` when that has no database yet; true when it did. */
export function seedPgliteDataDir(dataDir: string): Promise<boolean>;
