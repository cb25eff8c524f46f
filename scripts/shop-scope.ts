// Static check behind docs/scaling.md: every query Cartback's code writes against a table that
// holds shop data names the table's `shop` column, so shops can be spread over clusters or
// Citus shards by `shop`. It reads the source, not a running app: drizzle calls
// (`.from(t)`, `.update(t)`, `.delete(t)`) and raw sql`` templates, and reports each one whose
// statement never mentions `shop`. Deliberately cross-shop queries are listed in ALLOWED with why.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface Finding {
  file: string;
  line: number;
  table: string;
  statement: string;
}

/** A cross-shop query on purpose (file and table), with the reason it is one. */
export interface Allowed {
  file: string;
  table: string;
  why: string;
}

/** Shop tables by the name code uses for them (drizzle export) and by their SQL name. */
export interface ShopTableNames {
  exportName: string;
  sqlName: string;
}

const DRIZZLE_CALL = /\.(from|update|delete|innerJoin|leftJoin)\(\s*([A-Za-z_$][\w$]*)\s*[,)]/g;
const SQL_TEMPLATE = /sql`([^`]*)`/g;
const SQL_TABLE = /\b(?:from|join|update|into)\s+([a-z_][a-z0-9_]*)/gi;

/** The statement around `index`: from the previous `;` (or block start) to the next `;`. */
function statementAround(text: string, index: number): string {
  const before = Math.max(text.lastIndexOf(";", index), text.lastIndexOf("\n\n", index));
  const after = text.indexOf(";", index);
  return text.slice(before + 1, after === -1 ? text.length : after + 1);
}

const lineOf = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** Unscoped queries in one file's text. */
export function findUnscoped(file: string, text: string, tables: ShopTableNames[]): Finding[] {
  const byExport = new Map(tables.map((t) => [t.exportName, t.sqlName]));
  const bySql = new Set(tables.map((t) => t.sqlName));
  const findings: Finding[] = [];
  for (const match of text.matchAll(DRIZZLE_CALL)) {
    const table = byExport.get(match[2]!);
    if (!table) continue;
    const statement = statementAround(text, match.index);
    // A column reference (`profiles.shop`, `t.shop`) or a shop-keyed helper in the statement.
    if (!/\.shop\b|\bshop\s*[,:)=]|\bshopFilter\b|\binShop\b/.test(statement)) {
      findings.push({ file, line: lineOf(text, match.index), table, statement: statement.trim().slice(0, 200) });
    }
  }
  for (const match of text.matchAll(SQL_TEMPLATE)) {
    const body = match[1]!;
    for (const ref of body.matchAll(SQL_TABLE)) {
      const table = ref[1]!.toLowerCase();
      if (!bySql.has(table) || /\bshop\b/.test(body)) continue;
      findings.push({ file, line: lineOf(text, match.index), table, statement: body.trim().slice(0, 200) });
    }
  }
  return findings;
}

/** Every .ts/.tsx file under `dir`, tests and build output left out. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", "build", "dist", "test"].includes(entry.name) || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.|testing\.ts$|\.d\.ts$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Findings over `files` that ALLOWED does not explain. */
export function unexplained(root: string, files: string[], tables: ShopTableNames[], allowed: Allowed[]): Finding[] {
  return files
    .flatMap((file) => findUnscoped(path.relative(root, file), readFileSync(file, "utf8"), tables))
    .filter((f) => !allowed.some((a) => a.file === f.file && a.table === f.table));
}
