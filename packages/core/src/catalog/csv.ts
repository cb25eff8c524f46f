/**
 * RFC 4180 CSV, the format CleverTap catalogs are uploaded in. Records keep the physical
 * line they start on so that errors point at the line a merchant sees in a text editor.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export type CsvParse =
  | { type: "ok"; records: CsvRecord[] }
  | { type: "invalid"; line: number; reason: string };

export function parseCsv(text: string): CsvParse {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  let atFieldStart = true;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
    atFieldStart = true;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
          return { type: "invalid", line, reason: "text after a closing quote" };
        }
        continue;
      }
      if (c === "\n") line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
      i++;
      continue;
    }
    if (c === ",") {
      fields.push(field);
      field = "";
      atFieldStart = true;
      i++;
      continue;
    }
    if (c === "\r" || c === "\n") {
      endRecord();
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (c === '"') return { type: "invalid", line, reason: "a quote inside an unquoted field" };
    field += c;
    atFieldStart = false;
    i++;
  }
  if (quoted) return { type: "invalid", line: recordLine, reason: "a quoted field is never closed" };
  if (field !== "" || fields.length > 0) endRecord();
  return { type: "ok", records };
}

export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: Array<string | number | boolean | null | undefined>): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
