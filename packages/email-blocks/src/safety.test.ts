import { hadesCartRows } from "@cartback/templates/testing/storefront-rows";
import { describe, expect, it } from "vitest";
import { allDefaultBlocks, DEFAULT_STYLE } from "./defaults.ts";
import { STARTERS, starterDocument } from "./starters.ts";
import { renderDocument } from "./testing/render.ts";

/**
 * An email-client safety checklist over rendered output (after CSS inlining): what Gmail,
 * Outlook and Apple Mail need from HTML email. Each check names what it found.
 */
function checklist(html: string): string[] {
  const problems: string[] = [];
  const body = html.slice(html.indexOf("<body"));
  if (/<script|\son\w+\s*=|javascript:/i.test(html)) problems.push("script or event handler");
  if (/<(form|input|iframe|object|embed|video)\b/i.test(html)) problems.push("element clients strip");
  if (/display:\s*(flex|grid)|position:\s*(absolute|fixed)|float:/i.test(body)) problems.push("CSS layout instead of tables");
  if (/<link\b/i.test(html)) problems.push("external stylesheet");
  if (/<style/i.test(body)) problems.push("<style> in <body>");
  if (!/<table role="presentation" class="container"[^>]*max-width: 600px/.test(html)) problems.push("no 600 px container table");
  for (const [, n] of body.matchAll(/\swidth="(\d+)"/g)) if (Number(n) > 600) problems.push(`width="${n}"`);
  for (const [, n] of body.matchAll(/(?:^|[\s;"])(?:max-)?width:\s*(\d+)px/g)) if (Number(n) > 600) problems.push(`width ${n}px`);
  for (const img of body.match(/<img\b[^>]*>/g) ?? []) if (!/\salt="[^"]+"/.test(img)) problems.push(`img without alt: ${img.slice(0, 80)}`);
  for (const cell of body.match(/<td class="[^"]*block[^"]*"[^>]*>/g) ?? []) if (!/\sstyle="/.test(cell)) problems.push(`block cell without inline style: ${cell}`);
  if (!/<meta name="color-scheme" content="light dark">/.test(html)) problems.push("no color-scheme meta");
  if (!/@media \(prefers-color-scheme: dark\)/.test(html)) problems.push("no dark-mode styles");
  if (!/<meta name="viewport"/.test(html)) problems.push("no viewport meta");
  return problems;
}

const rows = hadesCartRows(5);

describe("email-client safety checklist", () => {
  it("passes for a document of every default block", () => {
    const { email } = renderDocument({ version: 1, subject: "s", preheader: "p", style: DEFAULT_STYLE, blocks: allDefaultBlocks() }, rows);
    expect(checklist(email.html)).toEqual([]);
  });

  it("passes for every starter design", () => {
    for (const name of STARTERS) expect(checklist(renderDocument(starterDocument(name), rows).email.html)).toEqual([]);
  });

  it("catches what it checks for (a hand-written email that breaks every rule)", () => {
    const bad = '<html><body><div style="display: flex; width: 900px"><img src="x.png"><script>1</script></div><style>p{}</style></body></html>';
    expect(checklist(bad)).toEqual(expect.arrayContaining(["script or event handler", "CSS layout instead of tables", "<style> in <body>", "no 600 px container table", "width 900px", expect.stringContaining("img without alt"), "no color-scheme meta", "no dark-mode styles"]));
  });
});
