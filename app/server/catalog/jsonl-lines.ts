export interface JsonlLine {
  /** 1-based among the non-empty lines, the same on every read of the same file. */
  line: number;
  text: string;
}

/**
 * The lines of a JSONL body, handed out a network chunk at a time (one await per chunk, not
 * per line); only the lines `wanted` says yes to are decoded. Lines are decoded one by one
 * from the bytes: splitting a decoded chunk instead would hand out slices of the chunk's
 * string, and every value JSON.parse takes from a line would then keep the whole chunk alive.
 */
export async function* jsonlLines(body: AsyncIterable<Uint8Array>, wanted: (line: number) => boolean = () => true): AsyncGenerator<JsonlLine[]> {
  // The unfinished end of the previous chunk: a line's worth of bytes, copied so that the
  // chunk itself is never concatenated (64 KB of garbage per chunk otherwise).
  let carry: Buffer | null = null;
  let line = 0;
  for await (const chunk of body) {
    const data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: JsonlLine[] = [];
    let start = 0;
    for (let end = data.indexOf(10, start); end !== -1; end = data.indexOf(10, start)) {
      if (carry) {
        const whole: Buffer = Buffer.concat([carry, data.subarray(0, end)]);
        carry = null;
        if (whole.length > 0 && wanted(++line)) lines.push({ line, text: whole.toString("utf8") });
      } else if (end > start && wanted(++line)) {
        lines.push({ line, text: data.toString("utf8", start, end) });
      }
      start = end + 1;
    }
    if (start < data.length) carry = carry ? Buffer.concat([carry, data]) : Buffer.from(data.subarray(start));
    if (lines.length > 0) yield lines;
  }
  // A last line without its newline is normal; a cut one fails to parse and is reported.
  if (carry && carry.length > 0 && wanted(++line)) yield [{ line, text: carry.toString("utf8") }];
}
