import { Drop } from "liquidjs";
import { describe, expect, it } from "vitest";
import { loadCases } from "./conformance/cases.ts";
import { DEFAULT_HTML, DEFAULT_PREHEADER, DEFAULT_SUBJECT } from "./default-template.ts";
import { type EngineKind, engineFor, parseTemplate } from "./engine.ts";
import { buildScope } from "./context.ts";
import { RenderInput } from "./input.ts";
import { inputFor } from "./testing/inputs.ts";
import { hadesCartRows } from "./testing/storefront-rows.ts";

/** What liquidjs's own code produces for a template, or the error it throws. */
function outcome(kind: EngineKind, source: string, data: unknown, fast: boolean): string {
  const engine = engineFor(kind);
  try {
    const templates = fast ? parseTemplate(kind, source) : engine.parse(source);
    return `ok: ${String(engine.renderSync(templates, structuredClone(data) as object))}`;
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

class Secret {
  readonly own = "visible";
}
Object.assign(Secret.prototype, { inherited: "hidden" });

class Greeting extends Drop {
  override liquidMethodMissing(key: string): string {
    return `drop:${key}`;
  }
  name(): string {
    return "from a method";
  }
}

const CASES: [string, string, unknown][] = [
  ["paths and literals", "{{ a.b.c }} {{ 'q' }} {{ 3 }} {{ nil }} {{ true }} {{ a['b'].c }} {{ list[1] }} {{ missing.x }}", { a: { b: { c: "<x>" } }, list: [1, 2] }],
  ["size, first and last", "{{ list.size }} {{ list.first }} {{ list.last }} {{ s.size }} {{ h.size }}", { list: [1, 2, 3], s: "abcd", h: { a: 1 } }],
  ["hyphenated catalog names", '{% for i in Catalog["shopify-catalog"] %}{{ i.Name }},{% endfor %}', { Catalog: { "shopify-catalog": [{ Name: "A&B" }, { Name: "C" }] } }],
  ["filters with positional, keyword and variable arguments", "{{ p | money }} {{ x | default: y }} {{ f | default: 'd', allow_false: true }} {{ u | image_url: width: w }} {{ s | append: t | upcase }}", { p: 1999, y: "why", f: false, u: "https://cdn.shopify.com/s/files/1/a.jpg", w: 120, s: "a", t: "<b>", shop: { money_format: "${{amount}}", currency: "USD" } }],
  ["raw opts out of escaping", "{{ h | raw }} {{ h }}", { h: "<b>&'\"</b>" }],
  ["conditions, loops and forloop", "{% for i in xs %}{% if i.on %}{{ forloop.index }}:{{ i.n }}{% elsif i.n == 2 %}two{% else %}off{% endif %}{% unless forloop.last %},{% endunless %}{% endfor %}", { xs: [{ on: true, n: 1 }, { n: 2 }, { n: 3 }] }],
  ["assign, capture, case and echo", "{% assign z = a.b %}{% capture c %}[{{ z }}]{% endcapture %}{{ c }}{% case z %}{% when 'k' %}K{% else %}E{% endcase %}{% echo z | upcase %}", { a: { b: "k" } }],
  ["unknown keys and operators fall back", "{{ a[k] }} {{ (1..3) | join: '-' }} {{ a.b | plus: 2 }}", { a: { b: 1, kk: "v" }, k: "kk" }],
  ["filter errors", "{{ x | default: 1, 2 }}", { x: null }],
];

describe("fast output evaluation matches liquidjs", () => {
  it.each(CASES)("%s, on both engines", (_name, source, data) => {
    for (const kind of ["html", "text"] as const) expect(outcome(kind, source, data, true)).toBe(outcome(kind, source, data, false));
  });

  it("renders every conformance case (golden-liquid, liquid-spec) exactly as liquidjs does", () => {
    const cases = loadCases();
    const differing = cases.filter((c) => outcome("text", c.template, c.data, true) !== outcome("text", c.template, c.data, false));
    expect(differing.map((c) => c.id)).toEqual([]);
    expect(cases.length).toBeGreaterThan(200);
  });

  it("renders the default template identically on a real cart", () => {
    const scope = buildScope(RenderInput.parse(inputFor(hadesCartRows(5))));
    const data = { ...scope, subject: "Subject", preheader: "Preheader" };
    for (const source of [DEFAULT_SUBJECT, DEFAULT_PREHEADER, DEFAULT_HTML]) {
      expect(outcome("html", source, data, true)).toBe(outcome("html", source, data, false));
    }
  });

  it("reads own properties only and lets Drops answer, as liquidjs does", () => {
    const data = { s: new Secret(), d: new Greeting() };
    const source = "{{ s.own }}|{{ s.inherited }}|{{ s.constructor }}|{{ d.name }}|{{ d.other }}";
    const fast = parseTemplate("text", source);
    expect(engineFor("text").renderSync(fast, data)).toBe("visible|||from a method|drop:other");
    expect(engineFor("text").renderSync(fast, data)).toBe(engineFor("text").renderSync(engineFor("text").parse(source), data));
  });

  it("keeps liquidjs's own code for async rendering and strict variables", async () => {
    const fast = parseTemplate("html", "{{ a.b | upcase }}<i>{{ c }}</i>");
    expect(await engineFor("html").render(fast, { a: { b: "x&y" }, c: "<" })).toBe("X&amp;Y<i>&lt;</i>");
    expect(() => engineFor("html").renderSync(fast, { a: {} }, { strictVariables: true })).toThrow(/undefined variable: a.b/);
  });

  it("reports a failing filter at its line and column", () => {
    const engine = engineFor("text");
    const source = "line one\n  {{ x | default: 1, 2 }}";
    expect(() => engine.renderSync(parseTemplate("text", source), {})).toThrow(/line:2, col:3/);
  });
});
