import type { Database } from "@cartback/db";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { jsonlLines } from "./jsonl-lines.ts";
import type { Executor } from "./rows-sql.ts";
import { type StagedVariant, type StagingTarget, stagedVariantsAfter } from "./staging.ts";

/**
 * Every spilled variant with its product's facts (null for an orphan), a page at a time.
 * PostgreSQL answers it as one join streamed out with COPY TO STDOUT (one pass over the
 * staging table, read as fast as the rows are written, never held whole); PGlite, in-process,
 * pages through the staging table's key. Call analyzeStaging first.
 */
export async function* stagedVariantPages(db: Executor, driver: Database["kind"], target: StagingTarget, page: number): AsyncGenerator<Array<Omit<StagedVariant, "key">>> {
  if (driver === "pglite") {
    for (let after = ""; ; ) {
      const staged = await stagedVariantsAfter(db, target, after, page);
      if (staged.length > 0) yield staged;
      if (staged.length < page) return;
      after = staged[staged.length - 1]!.key;
    }
  }
  const pool = (db as unknown as { $client: pg.Pool }).$client;
  const connection = await pool.connect();
  let broken: Error | undefined;
  let finished = false;
  try {
    const [shop, syncId] = [connection.escapeLiteral(target.shop), connection.escapeLiteral(target.syncId)];
    const stream = connection.query(copyTo(`copy (
      select v.facts, p.facts from catalog_sync_staging v
      left join catalog_sync_staging p on p.shop = v.shop and p.sync_id = v.sync_id and p.kind = 'product' and p.key = v.parent
      where v.shop = ${shop} and v.sync_id = ${syncId} and v.kind = 'variant') to stdout`));
    for await (const lines of jsonlLines(stream)) {
      yield lines.map(({ text }) => {
        const [variant, product] = text.split("\t") as [string, string];
        return { variant: copyField(variant)!, product: copyField(product) };
      });
    }
    finished = true;
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // Left early (the consumer failed), the COPY is still running: that connection is not reused.
    connection.release(broken ?? (finished ? undefined : new Error("the join was left before its end")));
  }
}

const ESCAPED: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

/** One value of COPY's text output: \N is null, backslash escapes undone. */
function copyField(field: string): string | null {
  if (field === "\\N") return null;
  return field.includes("\\") ? field.replace(/\\(.)/g, (_m, c: string) => ESCAPED[c] ?? c) : field;
}
