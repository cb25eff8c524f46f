/** The Results page's tables as a merchant reads them: each row's cell texts, headings first. */
export function resultTable(html: string, heading: "Per campaign" | "Per day"): string[][] {
  const start = html.indexOf(`>${heading}</h2>`);
  if (start < 0) throw new Error(`no "${heading}" table on the Results page`);
  const table = html.slice(start, html.indexOf("</table>", start));
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1]!)));
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&nbsp;|&#160;/g, " ")
    .trim();
