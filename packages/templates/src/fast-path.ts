import {
  type Context,
  type Emitter,
  evalToken,
  type Filter,
  type Liquid,
  Output,
  type Template,
  type Token,
  TypeGuards,
  toValue,
  toValueSync,
  Value,
} from "liquidjs";

/**
 * liquidjs evaluates every `{{ output }}` through about ten nested generators (value, expression,
 * token, property access, each property, each filter), and drives them with `toValueSync`; for an
 * email that is most of the CPU time. The common shapes — a literal or a plain `a.b["c"]` path,
 * followed by filters — are evaluated here with the same Context calls (`findScope`,
 * `readProperty`, so `ownPropertyOnly` and Drops behave the same), the same filter handlers and
 * the same output escaping, only without the generators. Tags, scopes, `for` loops and the
 * render/memory limits stay liquidjs's own; anything else, async rendering and strictVariables
 * fall back to liquidjs's code. `fast-path.test.ts` compares both on every conformance case.
 */

type Plan = (ctx: Context) => unknown;

/** The members liquidjs keeps private on `Filter` but passes to every filter call. */
type FilterInternals = { handler: (this: unknown, ...args: unknown[]) => unknown; liquid: Liquid; token: Token };
type FilterArgument = Token | [string, Token];
/** `_get` uses it to pick the scope a name lives in; typed private, public at run time. */
type ScopeFinder = { findScope(key: string): unknown };

/** Mirrors `evalToken` for a literal or a property path without nested lookups; undefined otherwise. */
function planToken(token: Token | undefined): Plan | undefined {
  if (token === undefined) return undefined;
  if ("content" in token) {
    const content = (token as { content: unknown }).content;
    return () => content;
  }
  if (!TypeGuards.isPropertyAccessToken(token) || token.variable !== undefined) return undefined;
  const keys: (string | number)[] = [];
  for (const prop of token.props) {
    const content = "content" in prop ? (prop as { content: unknown }).content : undefined;
    if (typeof content !== "string" && typeof content !== "number") return undefined;
    keys.push(content);
  }
  const first = keys[0];
  if (typeof first !== "string") return undefined;
  return (ctx) => {
    let value: unknown = (ctx as unknown as ScopeFinder).findScope(first);
    for (const key of keys) value = toValueSync(ctx.readProperty(value as object, key));
    return value;
  };
}

function planArgument(arg: FilterArgument): Plan {
  if (Array.isArray(arg)) {
    const [name, token] = arg;
    const inner = planArgument(token);
    return (ctx) => [name, inner(ctx)];
  }
  return planToken(arg) ?? ((ctx) => toValueSync(evalToken(arg, ctx)));
}

function planFilter(filter: Filter): (ctx: Context, value: unknown) => unknown {
  const { handler, liquid, token } = filter as unknown as FilterInternals;
  const args = (filter.args as FilterArgument[]).map(planArgument);
  return (ctx, value) => {
    const argv: unknown[] = [value];
    for (const arg of args) argv.push(arg(ctx));
    return toValueSync(handler.apply({ context: ctx, token, liquid }, argv));
  };
}

/** Mirrors `Value.value`; undefined when its expression is not a single simple token. */
function planValue(value: Value): Plan | undefined {
  const postfix = value.initial.postfix;
  if (postfix.length !== 1) return undefined;
  const initial = planToken(postfix[0]);
  if (initial === undefined) return undefined;
  const filters = value.filters.map(planFilter);
  return (ctx) => {
    let result = initial(ctx);
    for (const filter of filters) result = filter(ctx, result);
    return result;
  };
}

const usable = (ctx: Context) => ctx.sync && !ctx.strictVariables;

// liquidjs `yield`s whatever `render` and `value` return, so a plain value is accepted in place of
// a generator; the own properties set below shadow the prototype methods for these nodes only.
type Replaceable = { render: unknown; value: unknown };

function speedUpValue(value: Value): void {
  const plan = planValue(value);
  if (plan === undefined) return;
  const original = value.value;
  (value as unknown as Replaceable).value = function (this: Value, ctx: Context, lenient?: boolean) {
    return usable(ctx) ? plan(ctx) : original.call(this, ctx, lenient);
  };
}

function speedUpOutput(output: Output): void {
  const plan = planValue(output.value);
  if (plan === undefined) return;
  const original = output.render;
  (output as unknown as Replaceable).render = function (this: Output, ctx: Context, emitter: Emitter) {
    if (!usable(ctx)) return original.call(this, ctx, emitter);
    emitter.write(toValueSync(toValue(plan(ctx))));
    return undefined;
  };
}

type TagLike = Template & {
  children?: (partials: boolean, sync: boolean) => Generator<unknown, Template[], unknown>;
  branches?: { value?: unknown }[];
  value?: unknown;
};

const done = new WeakSet<Template>();

/** Rewrites parsed templates in place (recursively through tag bodies); returns them for chaining. */
export function speedUp(templates: Template[]): Template[] {
  for (const node of templates) {
    if (done.has(node)) continue;
    done.add(node);
    if (node instanceof Output) {
      speedUpOutput(node);
      continue;
    }
    if (TypeGuards.isHTMLToken(node.token)) {
      const str = (node as unknown as { str: unknown }).str;
      if (typeof str === "string") {
        (node as unknown as Replaceable).render = (_ctx: Context, emitter: Emitter) => {
          emitter.write(str);
          return undefined;
        };
      }
      continue;
    }
    const tag = node as TagLike;
    if (tag.value instanceof Value) speedUpValue(tag.value);
    for (const branch of tag.branches ?? []) if (branch.value instanceof Value) speedUpValue(branch.value);
    if (typeof tag.children === "function") speedUp(toValueSync(tag.children(false, true)) as Template[]);
  }
  return templates;
}
