import { describe, expect, it } from "vitest";
import { jsonlLines } from "./jsonl-lines.ts";

async function* chunks(bytes: Buffer, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield new Uint8Array(bytes.subarray(start, cut));
    start = cut;
  }
}

async function read(body: AsyncIterable<Uint8Array>, wanted?: (line: number) => boolean) {
  const out: Array<[number, string]> = [];
  for await (const lines of jsonlLines(body, wanted)) for (const { line, text } of lines) out.push([line, text]);
  return out;
}

describe("jsonlLines", () => {
  const file = Buffer.from('{"id":"a","t":"Ünïcode 🛒"}\n\n{"id":"b"}\n{"id":"c","t":"“quoted”"}\n{"id":"d"}');
  const expected: Array<[number, string]> = [[1, '{"id":"a","t":"Ünïcode 🛒"}'], [2, '{"id":"b"}'], [3, '{"id":"c","t":"“quoted”"}'], [4, '{"id":"d"}']];

  it("gives the same numbered lines wherever the chunks are cut, even inside a multi-byte character", async () => {
    for (let a = 0; a <= file.length; a++) {
      for (const b of [a, a + 1, a + 7, file.length]) {
        const cuts = [a, Math.min(b, file.length)].filter((c, i, all) => c > 0 && c < file.length && all.indexOf(c) === i);
        expect(await read(chunks(file, cuts)), `cut at ${cuts.join(",")}`).toEqual(expected);
      }
    }
  });

  it("decodes only the wanted lines, numbering them as a full read does", async () => {
    const asked: number[] = [];
    const lines = await read(chunks(file, [5, 30]), (line) => {
      asked.push(line);
      return line % 2 === 1;
    });
    expect(lines).toEqual([expected[0], expected[2]]);
    expect(asked).toEqual([1, 2, 3, 4]);
  });
});
