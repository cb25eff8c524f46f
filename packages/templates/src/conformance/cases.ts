import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { FIXTURES } from "../testing/storefront-rows.ts";

/** One conformance case, normalised from golden-liquid (JSON) or liquid-spec (YAML). */
export type ConformanceCase = {
  id: string;
  template: string;
  data: Record<string, unknown>;
  /** Acceptable outputs; empty when the template must be rejected. */
  expected: string[];
  invalid: boolean;
  /** Partials the case needs; our engine refuses include/render by design. */
  partials: boolean;
};

type GoldenCase = { name: string; template: string; data?: Record<string, unknown>; templates?: Record<string, string>; result?: string; results?: string[]; invalid?: boolean; tags?: string[] };
type SpecCase = { name: string; template: string; environment?: Record<string, unknown>; expected?: string; filesystem?: Record<string, string>; render_errors?: boolean };

const GOLDEN = path.join(FIXTURES, "liquid-tests/golden-liquid");
const SPEC = path.join(FIXTURES, "liquid-tests/shopify-liquid-spec");

function golden(file: string, label: string, keep: (c: GoldenCase) => boolean): ConformanceCase[] {
  const json = JSON.parse(readFileSync(path.join(GOLDEN, file), "utf8")) as { tests: GoldenCase[] };
  return json.tests.filter(keep).map((c) => ({
    id: `golden-liquid ${label}: ${c.name}`,
    template: c.template,
    data: c.data ?? {},
    expected: c.results ?? (c.result === undefined ? [] : [c.result]),
    invalid: c.invalid === true,
    partials: c.templates !== undefined,
  }));
}

function spec(file: string, keep: (c: SpecCase) => boolean): ConformanceCase[] {
  const doc = parseYaml(readFileSync(path.join(SPEC, file), "utf8"), { logLevel: "silent" }) as { specs?: SpecCase[] } | SpecCase[];
  const specs = Array.isArray(doc) ? doc : (doc.specs ?? []);
  return specs.filter(keep).map((c) => ({
    id: `liquid-spec ${file.replace(/^specs__|\.yml$/g, "")}: ${c.name}`,
    template: c.template,
    data: c.environment ?? {},
    expected: c.expected === undefined ? [] : [c.expected],
    invalid: false,
    partials: c.filesystem !== undefined,
  }));
}

const usesFor = (template: string) => /\{%-?\s*for\s/.test(template);
const usesDefault = (template: string) => /\|\s*default\b/.test(template);

/** The `for` tag and `default` filter cases from both suites, deduplicated by template and data. */
export function loadCases(): ConformanceCase[] {
  const all = [
    ...golden("tests__tags__for.json", "tags/for", () => true),
    ...golden("tests__filters__default.json", "filters/default", () => true),
    ...golden("golden_liquid.json", "golden_liquid.json", (c) => (c.tags ?? []).some((t) => t === "for tag" || t === "default filter")),
    ...spec("specs__basics__for-loops.yml", () => true),
    ...[
      "specs__basics__blank-and-empty.yml",
      "specs__basics__filter-chains.yml",
      "specs__basics__filter-nil-safety.yml",
      "specs__basics__nil-handling.yml",
      "specs__basics__truthiness.yml",
      "specs__basics__type-coercion.yml",
      "specs__liquid_ruby__standard_filters.yml",
    ].flatMap((file) => spec(file, (c) => typeof c.template === "string" && (usesFor(c.template) || usesDefault(c.template)))),
  ];
  const seen = new Set<string>();
  return all.filter((c) => {
    const key = JSON.stringify([c.template, c.data]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
