export { openDatabase, MIGRATIONS_DIR } from "./client.ts";
export type { Database, Db, OpenOptions, Schema, SqlRows } from "./client.ts";
export * as schema from "./schema/index.ts";
export * from "./schema/index.ts";
export { conflictRetries, isRetryableConflict, retryConflicts } from "./retry.ts";
