import { pipeline } from "node:stream/promises";
import type { Database } from "@cartback/db";
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Executor } from "./rows-sql.ts";

/** A value of one COPY column: null is SQL NULL, objects go as JSON text (jsonb columns). */
export type CopyValue = string | number | boolean | null | object;

const TAB = 0x09;
const NEWLINE = 0x0a;
const SPECIAL = /[\\\t\n\r\0]/;

/**
 * A batch of rows in COPY's text format, written value by value into a Buffer that is reused
 * from batch to batch (rows die young, as in json-rows.ts). PostgreSQL reads it with no JSON
 * or parameter parsing at all. NUL is dropped (text cannot hold it) and a lone surrogate
 * becomes U+FFFD (Buffer's UTF-8 encoding does that), as the JSON path stored them.
 */
export class CopyTextBuffer {
  private bytes: Buffer;
  private length = 0;
  count = 0;

  constructor(capacity = 512 * 1024) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }

  add(values: ReadonlyArray<CopyValue>): void {
    for (let i = 0; i < values.length; i++) {
      if (i > 0) this.byte(TAB);
      const value = values[i]!;
      if (typeof value === "number" && Number.isSafeInteger(value)) this.integer(value);
      else this.text(copyText(value));
    }
    this.byte(NEWLINE);
    this.count++;
  }

  /** Bytes written so far. */
  get byteLength(): number {
    return this.length;
  }

  payload(): Buffer {
    return this.bytes.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
    this.count = 0;
  }

  private byte(value: number): void {
    if (this.length + 1 > this.bytes.length) this.grow(this.length + 1);
    this.bytes[this.length++] = value;
  }

  /**
   * Digits written straight into the batch. String(n) would go through V8's number-string
   * cache, which lives in old space: every sequence number and price it turned into text stayed
   * reachable from there past two young collections, was promoted, and died in old space
   * (7 of the 14 MB a 300k-variant parse promoted, bench/catalog-gc-probe.ts).
   */
  private integer(value: number): void {
    if (value < 0) {
      this.byte(0x2d);
      value = -value;
    }
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    if (this.length + digits > this.bytes.length) this.grow(this.length + digits);
    for (let at = this.length + digits - 1; at >= this.length; at--) {
      this.bytes[at] = 0x30 + (value % 10);
      value = Math.floor(value / 10);
    }
    this.length += digits;
  }

  private text(value: string): void {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes; only near the end is the exact length
    // worth its cost, so that a mostly ASCII batch never doubles the buffer for nothing.
    if (this.length + value.length * 3 > this.bytes.length) {
      const needed = this.length + Buffer.byteLength(value, "utf8");
      if (needed > this.bytes.length) this.grow(needed);
    }
    this.length += this.bytes.write(value, this.length, "utf8");
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }
}

function copyText(value: CopyValue): string {
  if (value === null) return "\\N";
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (!SPECIAL.test(text)) return text;
  return text.replace(/[\\\t\n\r\0]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : ""));
}

export interface CopyTable {
  table: string;
  columns: readonly string[];
}

/**
 * Streams a CopyTextBuffer's payload into `into` with COPY FROM STDIN (PostgreSQL, one pooled
 * connection) or COPY FROM '/dev/blob' (PGlite). A COPY is all or nothing: when a row clashes
 * with one already there (a variant the bulk result lists twice), the batch is written again
 * through a temporary table with ON CONFLICT DO NOTHING, so the first one written wins.
 * Returns how many rows were stored (those a clash left out are not).
 */
export async function copyRows(db: Executor, driver: Database["kind"], into: CopyTable, payload: Buffer): Promise<number> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (!client) throw new Error("copyRows needs the database handle, not a transaction");
  const columns = into.columns.join(", ");
  const statements: CopyStatements = {
    copy: (table, source) => `copy ${table} (${columns}) from ${source}`,
    keepFirst: [
      `create temp table catalog_copy_batch (like ${into.table} including defaults) on commit drop`,
      `insert into ${into.table} (${columns}) select ${columns} from catalog_copy_batch on conflict do nothing`,
    ],
  };
  if (driver === "pglite") return copyPglite(client as PGlite, into.table, statements, payload);
  return copyPostgres(client as pg.Pool, into.table, statements, payload);
}

interface CopyStatements {
  copy: (table: string, source: string) => string;
  /** Create the temporary table; (COPY into it); insert from it keeping what is there. */
  keepFirst: [string, string];
}

async function copyPglite(lite: PGlite, table: string, statements: CopyStatements, payload: Buffer): Promise<number> {
  const fromBlob = (into: string) => ({ text: statements.copy(into, "'/dev/blob'"), blob: new Blob([new Uint8Array(payload.buffer as ArrayBuffer, payload.byteOffset, payload.byteLength)]) });
  try {
    const main = fromBlob(table);
    return (await lite.query(main.text, [], { blob: main.blob })).affectedRows ?? 0;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return lite.transaction(async (tx) => {
      await tx.query(statements.keepFirst[0]);
      const batch = fromBlob("catalog_copy_batch");
      await tx.query(batch.text, [], { blob: batch.blob });
      return (await tx.query(statements.keepFirst[1])).affectedRows ?? 0;
    });
  }
}

async function copyPostgres(pool: pg.Pool, table: string, statements: CopyStatements, payload: Buffer): Promise<number> {
  const connection = await pool.connect();
  const stream = async (into: string) => {
    const copy = connection.query(copyFrom(statements.copy(into, "stdin")));
    await pipeline([payload], copy);
    return copy.rowCount;
  };
  let broken: Error | undefined;
  try {
    return await stream(table).catch(async (error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      await connection.query("begin");
      try {
        await connection.query(statements.keepFirst[0]);
        await stream("catalog_copy_batch");
        const kept = await connection.query(statements.keepFirst[1]);
        await connection.query("commit");
        return kept.rowCount ?? 0;
      } catch (inner) {
        await connection.query("rollback").catch(() => {});
        throw inner;
      }
    });
  } catch (error) {
    // A COPY cut short may leave the connection mid-protocol: the pool must not hand it out again.
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    connection.release(broken);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}
