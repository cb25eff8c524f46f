/**
 * Every case our engine fails, with the reason. The conformance test fails when this list and
 * reality disagree, so a regression and a newly passing case both show up in review.
 */
export const REASONS = {
  parentloop:
    "liquidjs 10.30 has no `forloop.parentloop`; it renders as nil. Email templates rarely nest loops; assign the outer `forloop.index` to a variable instead.",
  partials:
    "Needs `include`/`render` with a snippet file system. Email templates refuse partials by design (no file access, no recursion), so these fail with our clear parse error.",
  blankBlock:
    "Ruby Liquid drops the output of a block that contains only whitespace; liquidjs keeps the spaces. Harmless in HTML email.",
  floatRange: "Ruby truncates float range bounds to integers; liquidjs iterates from the float (2.4, 3.4, …).",
  loopArgType:
    "Ruby rejects a `limit`/`offset` that is not a number; liquidjs coerces it (to 0 or no limit) and renders instead of failing.",
  floatZero: "JavaScript has one number type, so the literal `0.0` prints as `0`. The `default` filter itself behaves (0.0 is kept).",
  hyphenIdentifier: "liquidjs accepts `-foo` as a variable name where Ruby Liquid raises a syntax error.",
  filterSemantics:
    "Not about `for`: the loop only prints another standard filter's result (reject/compact/uniq/sort_natural/split/where), and liquidjs's version of that filter follows older Ruby semantics (no substring/nil matching, no key argument, no flattening, split on any whitespace).",
  ifchanged: "liquidjs has no `ifchanged` tag.",
  tablerowBreak: "`break` inside `tablerow` ends the row in Ruby Liquid; liquidjs ignores it and emits all cells.",
  rubyInspect:
    "Expected output is Ruby's `inspect` of a hash (`{\"foo\"=>\"bar\"}`) or a Ruby-only drop class from Liquid's own unit tests; a JavaScript engine cannot reproduce it. `default` returns the value unchanged as it should.",
} as const;

export type Reason = keyof typeof REASONS;

export const KNOWN_FAILURES: Record<string, Reason> = {
  "golden-liquid tags/for: blank empty loops": "blankBlock",
  "golden-liquid tags/for: access parentloop": "parentloop",
  "golden-liquid tags/for: parent's parentloop": "parentloop",
  "golden-liquid tags/for: loop over range with float start": "floatRange",
  "golden-liquid tags/for: limit is a non-number string": "loopArgType",
  "golden-liquid tags/for: offset is a non-number string": "loopArgType",
  "golden-liquid tags/for: limit is not a string or number": "loopArgType",
  "golden-liquid tags/for: offset is not a string or number": "loopArgType",
  "golden-liquid filters/default: 0.0 is not falsy": "floatZero",
  "golden-liquid golden_liquid.json: identifiers, leading hyphen in for loop target": "hyphenIdentifier",
  "golden-liquid golden_liquid.json: filters, compact, array of objects with key property": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, reject, array of hashes, explicit nil": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, reject, array of strings, default value": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, reject, first argument is undefined": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, reject, input is a hash, explicit nil match": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, reject, missing argument": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, reject, nested array of hashes gets flattened": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, reject, string input becomes a single element array, substring match": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, reject, too many arguments": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, sort natural, argument is undefined": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, split, argument is a single space": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, uniq, array of objects with key property": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, uniq, array of objects with missing key property": "filterSemantics",
  "golden-liquid golden_liquid.json: filters, where, value is explicit nil": "filterSemantics",
  "golden-liquid golden_liquid.json: tags, ifchanged, within for loop": "ifchanged",
  "golden-liquid golden_liquid.json: tags, include, break from include": "partials",
  "golden-liquid golden_liquid.json: tags, include, break from nested include": "partials",
  "golden-liquid golden_liquid.json: tags, render, for loop variables go out of scope": "partials",
  "golden-liquid golden_liquid.json: tags, render, render loops can't access parentloop": "partials",
  "golden-liquid golden_liquid.json: tags, tablerow, break from a tablerow loop inside a for loop": "tablerowBreak",
  "liquid-spec basics__for-loops: forloop_parentloop_basic": "parentloop",
  "liquid-spec basics__for-loops: forloop_parentloop_index0": "parentloop",
  "liquid-spec basics__for-loops: forloop_parentloop_first_last": "parentloop",
  "liquid-spec basics__for-loops: forloop_parentloop_three_levels": "parentloop",
  "liquid-spec basics__for-loops: for_offset_continue_isolated_in_render": "partials",
  "liquid-spec basics__for-loops: for_parentloop_nil_in_render": "partials",
  "liquid-spec basics__for-loops: for_parentloop_available_in_include": "partials",
  "liquid-spec liquid_ruby__standard_filters: StandardFilterTest#test_default_2858b76a": "rubyInspect",
  "liquid-spec liquid_ruby__standard_filters: StandardFilterTest#test_default_43dbbb97": "rubyInspect",
  "liquid-spec liquid_ruby__standard_filters: StandardFilterTest#test_default_446f9bac": "rubyInspect",
  "liquid-spec liquid_ruby__standard_filters: StandardFilterTest#test_default_46899810": "rubyInspect",
  "liquid-spec liquid_ruby__standard_filters: StandardFilterTest#test_default_a8c7a8f0": "rubyInspect",
  "liquid-spec liquid_ruby__standard_filters: StandardFilterTest#test_default_e24094d3": "rubyInspect",
};
