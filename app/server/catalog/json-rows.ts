import { storableJson } from "./rows-sql.ts";

const OPEN = 0x5b;
const COMMA = 0x2c;
const CLOSE = 0x5d;

/**
 * A batch of rows as one JSON array, written row by row into a Buffer that is reused from
 * batch to batch. Rows become garbage as soon as they are added, so they die young: a
 * 100k-row sync no longer promotes its batches into V8's old generation, which is what
 * grew the heap (and RSS) far beyond the data a sync really holds.
 */
export class JsonRowBuffer {
  private bytes: Buffer;
  private length = 1;
  count = 0;

  constructor(capacity = 512 * 1024) {
    this.bytes = Buffer.allocUnsafe(capacity);
    this.bytes[0] = OPEN;
  }

  /** A catalog row, or a staging record: any object JSON can carry. */
  add(row: object): void {
    const json = storableJson(row);
    // A UTF-16 code unit takes at most 3 UTF-8 bytes; +2 for the comma and the closing bracket.
    const needed = this.length + json.length * 3 + 2;
    if (needed > this.bytes.length) this.grow(needed);
    if (this.count > 0) this.bytes[this.length++] = COMMA;
    this.length += this.bytes.write(json, this.length, "utf8");
    this.count++;
  }

  /** The closed JSON array; valid until the next add or clear. */
  payload(): Buffer {
    this.bytes[this.length] = CLOSE;
    return this.bytes.subarray(0, this.length + 1);
  }

  clear(): void {
    this.length = 1;
    this.count = 0;
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }
}
