/**
 * The analyzer: resolves an expression tree against a schema (Spark's ResolveReferences, ResolveFunctions,
 * TypeCoercion with `spark.sql.ansi.enabled=false`) and compiles it to closures over rows.
 *
 * Invariants:
 * - Compilation never generates code: no `eval`, no `new Function`; every node becomes a closure built here or
 *   in the function registry.
 * - Column names resolve case-insensitively against the schema's fields, then through struct fields; rows are
 *   read with own-property lookups only, so `__proto__`, `constructor` or `toString` are ordinary (unknown)
 *   column names and can never reach `Object.prototype`.
 * - Errors are Spark's: UNRESOLVED_COLUMN (with suggestions ordered as Spark orders them), AMBIGUOUS_REFERENCE,
 *   UNRESOLVED_ROUTINE, WRONG_NUM_ARGS and DATATYPE_MISMATCH, raised at compile time, never per row.
 * - Null semantics are Spark's: arithmetic and comparisons with null are null, AND/OR are three-valued, `<=>` is
 *   null-safe, division and remainder by zero are null, integral overflow wraps, IN with a null and no match is
 *   null.
 */
import type { Row } from '../../contracts';
import type { AggregateFunction } from '../../aggregate';
import { exprError, ExprErrorCodes } from './errorCodes';
import { collectNodes, someNode, splitColumnName, transformUp, type CallExpr, type Expr } from './Expr';
import {
  castNode,
  constantNode,
  constantValue,
  definite,
  isDefinite,
  makeNode,
  mismatch,
  quoted,
  stringArg,
  type EvalContext,
  type Evaluator,
  type Node,
} from './compiled';
import {
  boundedDecimal,
  canCast,
  cannotCastMessage,
  commonType,
  decimalForLiteral,
  intervalType,
  isArray,
  isAtomic,
  isBinary,
  isBoolean,
  isDate,
  isDecimal,
  isFloating,
  isIntegral,
  isInterval,
  isMap,
  isNull,
  isNumeric,
  isString,
  isStruct,
  isTimestamp,
  sqlTypes,
  widerNumeric,
  type DataType,
  type StructType,
} from './typeSupport';
import { compareValues, likeToRegExp, javaRegExp, valuesEqual, wrapIntegral, roundHalfUp } from './values';
import { definiteReadOf, readTopField } from './rowAccess';
import { arithmetic as fastArithmetic, arithmeticWithConstant, compare as fastCompare, compareWithConstant, fastArithmeticWidth } from './numericFastPaths';
import { lookupFunction, mapGet, durationText } from './functionRegistry';
import { AGGREGATE_NAMES, aggregateArity, aggregateNullable, aggregateResultType, buildAggregate, checkAggregateInput } from './aggregates';
import { GENERATOR_FUNCTIONS, outputName, prettySql } from './outputName';
import { DecimalType, StructField, StructType as StructTypeClass } from '../types';
import type { TimeWindowSpec } from '../../window/TimeWindow';
import { sparkTimeWindowSpec } from './sparkTimeWindow';

export type { EvalContext } from './compiled';
export { outputName } from './outputName';

/** A compiled expression: its output name, type and nullability, and the closure that evaluates it. */
export interface CompiledExpr {
  /** Spark's output column name (the alias if any). */
  readonly name: string;
  readonly dataType: DataType;
  readonly nullable: boolean;
  /**
   * Evaluates the expression on a row. For a generator (`explode`), returns the collection to expand (an array,
   * or a `Map` for a map) and `dataType` is the type of one output value.
   */
  evaluate(row: Record<string, unknown>, ctx: EvalContext): unknown;
  /** Set for `explode(...)`: what `evaluate` returns and whether empty/null input keeps one null row (`outer`). */
  readonly generator?: { readonly collection: 'array' | 'map'; readonly outer: boolean };
  /** True when the value depends on neither the row nor the context. */
  readonly constant: boolean;
}

/** Options of `compileExpr`. */
export interface CompileOptions {
  /**
   * Names that may qualify a column (`t.col` when the DataFrame is aliased `t`), compared case-insensitively.
   * A qualified match is preferred over a struct field path, as in Spark.
   */
  readonly qualifiers?: readonly string[];
}

interface Cx {
  readonly schema: StructType;
  readonly qualifiers: readonly string[];
  /** The one node that may be a generator: the top of a projection item (Spark allows no nested generator). */
  readonly generatorAllowedAt?: Expr;
}

/**
 * Resolves `expr` against `schema` and compiles it.
 *
 * @example
 * ```ts
 * const c = compileExpr(parseExpression('upper(word) AS w'), new StructType().add('word', 'string'));
 * c.name;                                          // 'w'
 * c.evaluate({ word: 'hi' }, { batchTimestampMs: 0 }); // 'HI'
 * ```
 */
export function compileExpr(expr: Expr, schema: StructType, options: CompileOptions = {}): CompiledExpr {
  const aggregate = collectNodes(expr, isAggregateCall)[0];
  if (aggregate !== undefined) {
    throw exprError(
      ErrorCodesUnsupported,
      `[MISSING_GROUP_BY] The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window functions using OVER clauses. SQLSTATE: 42803`,
      { expression: prettySql(aggregate) },
    );
  }
  const inner = expr.kind === 'alias' ? expr.child : expr;
  const cx: Cx = { schema, qualifiers: options.qualifiers ?? [], generatorAllowedAt: inner };
  const node = compileNode(expr, cx);
  const generator =
    inner.kind === 'call' && GENERATOR_FUNCTIONS.has(inner.name)
      ? { collection: (isMap(compileNode(inner.args[0]!, cx).dataType) ? 'map' : 'array') as 'array' | 'map', outer: inner.name.endsWith('_outer') }
      : undefined;
  const run = node.run;
  // The evaluator itself when it never returns undefined (no extra layer per row); else undefined → null.
  const evaluate: Evaluator =
    isDefinite(run) ? run
    : definiteReadOf(run) ?? ((row, ctx) => {
      const v = run(row, ctx);
      return v === undefined ? null : v;
    });
  return {
    name: outputName(expr),
    dataType: node.dataType,
    nullable: node.nullable,
    evaluate,
    constant: node.constant,
    ...(generator === undefined ? {} : { generator }),
  };
}

const ErrorCodesUnsupported = 'UNSUPPORTED_OPERATION' as const;

function isAggregateCall(e: Expr): boolean {
  return e.kind === 'call' && AGGREGATE_NAMES.has(e.name);
}

/**
 * True when `expr` contains an aggregate call (count, sum, avg/mean, min, max, first, last, collect_list,
 * collect_set, approx_count_distinct, and any `DISTINCT` call).
 */
export function isAggregate(expr: Expr): boolean {
  return someNode(expr, (e) => isAggregateCall(e) || (e.kind === 'call' && e.distinct));
}

/** True when `expr` is, or is an alias of, a generator (`explode`, `explode_outer`). */
export function isGenerator(expr: Expr): boolean {
  const inner = expr.kind === 'alias' ? expr.child : expr;
  return inner.kind === 'call' && GENERATOR_FUNCTIONS.has(inner.name);
}

/** A time window found in an expression (a `window(...)` or `session_window(...)` call). */
export interface TimeWindowRef {
  readonly kind: 'window' | 'session_window';
  /** The call node itself. */
  readonly call: CallExpr;
  /** The time column (or window struct) argument. */
  readonly column: Expr;
  /** window: the durations as interval strings (`'10 seconds'`; an interval literal becomes `'<ms> milliseconds'`). */
  readonly duration?: string;
  readonly slide?: string;
  readonly startTime?: string;
  /** window: the validated spec in milliseconds (Spark's checks and messages). */
  readonly spec?: TimeWindowSpec;
  /** session_window: the gap as a string when constant, else the per-row gap expression. */
  readonly gap?: string | Expr;
}

/**
 * The first time window of `expr` (see `findTimeWindows`), or undefined.
 *
 * @example
 * ```ts
 * findTimeWindow(parseExpression("window(ts, '10 seconds')"))?.spec; // { windowMs: 10000, slideMs: 10000, startMs: 0 }
 * ```
 */
export function findTimeWindow(expr: Expr): TimeWindowRef | undefined {
  return findTimeWindows(expr)[0];
}

/** Every `window(...)` / `session_window(...)` call of `expr`, in pre-order (the planner rejects more than one). */
export function findTimeWindows(expr: Expr): TimeWindowRef[] {
  return collectNodes(expr, (e) => e.kind === 'call' && (e.name === 'window' || e.name === 'session_window')).map((e) => {
    const call = e as CallExpr;
    const constText = (a: Expr | undefined): string | undefined => {
      if (a === undefined) return undefined;
      if (a.kind === 'literal') return durationText(a.value);
      if (a.kind === 'interval') return durationText(a);
      return undefined;
    };
    if (call.name === 'window') {
      if (call.args.length < 2 || call.args.length > 4) throw wrongArgs('window', call.args.length, 2, 4);
      const texts = call.args.slice(1).map((a, i) => {
        const t = constText(a);
        if (t === undefined) {
          throw mismatch(call, 'NON_FOLDABLE_INPUT', `the input ${['windowDuration', 'slideDuration', 'startTime'][i]} should be a foldable "STRING" expression; however, got "${prettySql(a)}"`);
        }
        return t;
      });
      const spec = sparkTimeWindowSpec(call.args[0]!, texts[0]!, texts[1], texts[2]);
      return {
        kind: 'window' as const,
        call,
        column: call.args[0]!,
        duration: texts[0]!,
        ...(texts[1] === undefined ? {} : { slide: texts[1] }),
        ...(texts[2] === undefined ? {} : { startTime: texts[2] }),
        spec,
      };
    }
    if (call.args.length !== 2) throw wrongArgs('session_window', call.args.length, 2, 2);
    const gapText = constText(call.args[1]);
    return { kind: 'session_window' as const, call, column: call.args[0]!, gap: gapText ?? call.args[1]! };
  });
}

/** Options of `toAggregateFunction`. */
export interface AggregateOptions {
  /** True for a streaming query: distinct aggregates are rejected with Spark's message. */
  readonly streaming: boolean;
  /** The evaluation context of the rows folded (for `current_timestamp()` inside an argument). */
  readonly context?: () => EvalContext;
  readonly qualifiers?: readonly string[];
}

const DEFAULT_CONTEXT = (): EvalContext => ({ batchTimestampMs: Date.now() });

/**
 * Maps an aggregate call (optionally aliased) to a streaming `AggregateFunction` of `lib/aggregate`, whose input
 * is the compiled argument and whose `name` is Spark's output name. `count(DISTINCT x)` and other distinct
 * aggregates throw UNSUPPORTED_OPERATION with Spark's message when `streaming`, and are exact otherwise.
 *
 * @example
 * ```ts
 * const f = toAggregateFunction(parseExpression('sum(v * 2)'), schema, { streaming: true });
 * f.name; // 'sum((v * 2))'
 * ```
 */
export function toAggregateFunction(call: Expr, schema: StructType, options: AggregateOptions): AggregateFunction {
  const { node, args } = resolveAggregateCall(call, schema, options.qualifiers);
  return buildAggregate(node, args, { streaming: options.streaming, context: options.context ?? DEFAULT_CONTEXT });
}

/** The result type and nullability of an aggregate call against `schema`. */
export function aggregateResult(call: Expr, schema: StructType, qualifiers?: readonly string[]): { dataType: DataType; nullable: boolean } {
  const { node, args } = resolveAggregateCall(call, schema, qualifiers);
  return { dataType: aggregateResultType(node, args), nullable: aggregateNullable(node) };
}

function resolveAggregateCall(call: Expr, schema: StructType, qualifiers: readonly string[] = []): { node: CallExpr; args: Node[] } {
  const node = call.kind === 'alias' ? call.child : call;
  if (node.kind !== 'call' || !(AGGREGATE_NAMES.has(node.name) || node.distinct)) {
    throw exprError('INVALID_ARGUMENT', `${prettySql(node)} is not an aggregate function call.`, { expression: prettySql(node) });
  }
  if (!AGGREGATE_NAMES.has(node.name)) {
    throw exprError('INVALID_ARGUMENT', `[INVALID_DISTINCT] DISTINCT is only supported on aggregate functions; \`${node.name}\` is not one.`, { function: node.name });
  }
  const nested = node.args.find((a) => isAggregate(a));
  if (nested !== undefined) {
    throw exprError(
      ExprErrorCodes.DATATYPE_MISMATCH,
      '[NESTED_AGGREGATE_FUNCTION] It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query. SQLSTATE: 42607',
      { expression: prettySql(node) },
    );
  }
  if (node.star !== true) {
    const [min, max] = aggregateArity(node.name);
    if (node.args.length < min || node.args.length > max) throw wrongArgs(node.name, node.args.length, min, max);
  }
  const cx: Cx = { schema, qualifiers };
  const args = node.args.map((a) => compileNode(a, cx));
  checkAggregateInput(node, args);
  return { node, args };
}

/** An aggregate call found by `extractAggregates`, and the column id that stands for its result. */
export interface ExtractedAggregate {
  readonly id: string;
  readonly call: CallExpr;
}

/**
 * Splits an aggregation output expression such as `sum(a) / count(*) AS avg` into its aggregate calls and a
 * post-aggregation expression in which each call is replaced by a column reference to its `id`. The planner
 * aggregates each call (`toAggregateFunction`) into a column named `id`, then compiles `result` against the
 * grouping columns plus those columns (`aggregateResult` gives their types).
 */
export function extractAggregates(expr: Expr, idPrefix = '__agg'): { aggregates: ExtractedAggregate[]; result: Expr } {
  const aggregates: ExtractedAggregate[] = [];
  const keyOf = new Map<string, string>();
  const result = transformUp(expr, (e) => {
    if (e.kind !== 'call' || !(isAggregateCall(e) || e.distinct)) return e;
    const key = JSON.stringify([prettySql(e), e.distinct]);
    let id = keyOf.get(key);
    if (id === undefined) {
      id = `${idPrefix}${aggregates.length}`;
      keyOf.set(key, id);
      aggregates.push({ id, call: e });
    }
    return { kind: 'column', name: id, parts: [id] };
  });
  const named = expr.kind === 'alias' || result.kind === 'alias' ? result : { kind: 'alias' as const, child: result, name: outputName(expr) };
  return { aggregates, result: named };
}

// ---- resolution --------------------------------------------------------------------------------------------

function wrongArgs(name: string, actual: number, min: number, max: number): Error {
  const expected = min === max ? `${min}` : max === Infinity ? `> ${min - 1}` : `[${Array.from({ length: max - min + 1 }, (_, i) => min + i).join(', ')}]`;
  return exprError(
    ExprErrorCodes.WRONG_NUM_ARGS,
    `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires ${expected} parameters but the actual number is ${actual}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix. SQLSTATE: 42605`,
    { function: name, actual },
  );
}

/** Functions Spark resolves from a bare name when no column has that name (`current_date`). */
const LITERAL_FUNCTIONS = new Set(['current_date', 'current_timestamp']);

interface Resolved {
  readonly dataType: DataType;
  readonly nullable: boolean;
  readonly read: (row: Row) => unknown;
}

function quoteParts(parts: readonly string[]): string {
  return parts.map((p) => `\`${p.replace(/`/g, '``')}\``).join('.');
}

function levenshtein(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n]!;
}

function unresolvedColumn(parts: readonly string[], schema: StructType): Error {
  const display = quoteParts(parts);
  // Spark's UnresolvedAttribute.name: parts joined with dots, a part that contains a dot in backquotes.
  const base = parts.map((p) => (p.includes('.') ? `\`${p}\`` : p)).join('.');
  const candidates = [...schema.fields.map((f) => f.name)].sort().map((n) => quoteParts([n]));
  const suggestions = candidates
    .map((c, i) => ({ c, i, d: levenshtein(c, base) }))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .slice(0, 5)
    .map((x) => x.c);
  const message =
    suggestions.length === 0
      ? `[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with name ${display} cannot be resolved. SQLSTATE: 42703`
      : `[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name ${display} cannot be resolved. Did you mean one of the following? [${suggestions.join(', ')}]. SQLSTATE: 42703`;
  return exprError(ExprErrorCodes.UNRESOLVED_COLUMN, message, { column: base, suggestions });
}

/** Fields of `schema` named `name` ignoring case. */
function matchFields(schema: StructType, name: string): StructField[] {
  const lower = name.toLowerCase();
  return schema.fields.filter((f) => f.name.toLowerCase() === lower);
}


/** Extracts `name` from a value of type `t` (struct field, array of structs, map key); undefined if impossible. */
function extractStep(t: DataType, name: string, display: Expr): { dataType: DataType; nullable: boolean; get: (v: unknown) => unknown } | undefined {
  if (isStruct(t)) {
    const matches = matchFields(t, name);
    if (matches.length > 1) throw ambiguous([name], matches.map((f) => f.name));
    const f = matches[0];
    if (f === undefined) return undefined;
    const key = f.name;
    return { dataType: f.dataType, nullable: f.nullable, get: (v) => structGet(v, key) };
  }
  if (isArray(t) && isStruct(t.elementType)) {
    const inner = extractStep(t.elementType, name, display);
    if (inner === undefined) return undefined;
    return {
      dataType: sqlTypes.array(inner.dataType, true),
      nullable: true,
      get: (v) => (Array.isArray(v) ? v.map((x) => (x === null || x === undefined ? null : (inner.get(x) ?? null))) : undefined),
    };
  }
  if (isMap(t)) {
    return { dataType: t.valueType, nullable: true, get: (v) => mapGet(v, name) };
  }
  throw exprError(
    ExprErrorCodes.DATATYPE_MISMATCH,
    `[INVALID_EXTRACT_BASE_FIELD_TYPE] Can't extract a value from ${quoted(display)}. Need a complex type [STRUCT, ARRAY, MAP] but got "${t.sql()}". SQLSTATE: 42000`,
    { expression: prettySql(display) },
  );
}

/** A struct field of a value (own properties only; a field stored under another case is found too). */
function structGet(v: unknown, key: string): unknown {
  if (v === null || typeof v !== 'object') return undefined;
  if (Object.hasOwn(v, key)) return (v as Record<string, unknown>)[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(v)) if (k.toLowerCase() === lower) return (v as Record<string, unknown>)[k];
  return undefined;
}

function ambiguous(parts: readonly string[], names: readonly string[]): Error {
  return exprError(
    ExprErrorCodes.AMBIGUOUS_REFERENCE,
    `[AMBIGUOUS_REFERENCE] Reference ${quoteParts(parts)} is ambiguous, could be: [${names.map((n) => quoteParts([n])).join(', ')}]. SQLSTATE: 42704`,
    { column: parts.join('.') },
  );
}

function resolvePath(parts: readonly string[], schema: StructType, display: Expr): Resolved | undefined {
  const top = matchFields(schema, parts[0]!);
  if (top.length > 1) throw ambiguous(parts.slice(0, 1), top.map((f) => f.name));
  const field = top[0];
  if (field === undefined) return undefined;
  let dataType = field.dataType;
  let nullable = field.nullable;
  let read: (row: Row) => unknown = readTopField(field.name);
  for (let i = 1; i < parts.length; i++) {
    const step = extractStep(dataType, parts[i]!, { kind: 'column', name: parts.slice(0, i).join('.'), parts: parts.slice(0, i) });
    if (step === undefined) {
      const struct = dataType as StructType;
      throw exprError(
        ExprErrorCodes.UNRESOLVED_COLUMN,
        `[FIELD_NOT_FOUND] No such struct field ${quoteParts([parts[i]!])} in ${struct.fields.map((f) => quoteParts([f.name])).join(', ')}. SQLSTATE: 42704`,
        { column: parts.join('.'), field: parts[i]! },
      );
    }
    const prev = read;
    const get = step.get;
    read = (row) => {
      const v = prev(row);
      return v === null || v === undefined ? undefined : get(v);
    };
    dataType = step.dataType;
    nullable = nullable || step.nullable;
  }
  void display;
  return { dataType, nullable, read };
}

function resolveColumn(expr: Expr & { kind: 'column' }, cx: Cx): Node | undefined {
  let parts = expr.parts;
  if (parts === undefined) {
    // A node built without parts (by the planner): an exact field name first, then a dotted path.
    if (matchFields(cx.schema, expr.name).length > 0) parts = [expr.name];
    else parts = splitColumnName(expr.name) ?? [expr.name];
  }
  if (parts.includes('*')) {
    throw exprError(
      'INVALID_ARGUMENT',
      `[INVALID_USAGE_OF_STAR_OR_REGEX] Invalid usage of '*' in expression \`${prettySql(expr)}\`. SQLSTATE: 42000`,
      { column: expr.name },
    );
  }
  let resolved: Resolved | undefined;
  if (parts.length > 1 && cx.qualifiers.some((q) => q.toLowerCase() === parts![0]!.toLowerCase())) {
    resolved = resolvePath(parts.slice(1), cx.schema, expr);
  }
  resolved ??= resolvePath(parts, cx.schema, expr);
  if (resolved === undefined) {
    if (parts.length === 1 && LITERAL_FUNCTIONS.has(parts[0]!.toLowerCase())) return undefined;
    throw unresolvedColumn(parts, cx.schema);
  }
  return { expr, dataType: resolved.dataType, nullable: resolved.nullable, run: resolved.read, constant: false };
}

// ---- compilation -------------------------------------------------------------------------------------------

/** Compiles `expr` in context `cx` (exported for the function registry's tests; use `compileExpr`). */
function compileNode(expr: Expr, cx: Cx): Node {
  switch (expr.kind) {
    case 'literal':
      return constantNode(expr, expr.value, expr.dataType);
    case 'interval':
      return constantNode(expr, { months: expr.months, days: expr.days, micros: expr.micros }, intervalType(expr.display, expr.months));
    case 'column': {
      const node = resolveColumn(expr, cx);
      if (node !== undefined) return node;
      return compileNode({ kind: 'call', name: (expr.parts ?? [expr.name])[0]!.toLowerCase(), args: [], distinct: false }, cx);
    }
    case 'alias':
      return { ...compileNode(expr.child, cx), expr };
    case 'cast': {
      const child = compileNode(expr.child, cx);
      if (!canCast(child.dataType, expr.to)) {
        throw exprError(
          ExprErrorCodes.DATATYPE_MISMATCH,
          `[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve ${quoted(expr)} due to data type mismatch: cannot cast "${child.dataType.sql()}" to "${expr.to.sql()}". SQLSTATE: 42K09`,
          { expression: prettySql(expr), detail: cannotCastMessage(child.dataType, expr.to) },
        );
      }
      return { ...castNode(child, expr.to), expr };
    }
    case 'binary':
      return compileBinary(expr, cx);
    case 'unary':
      return compileUnary(expr, cx);
    case 'isNull': {
      const child = compileNode(expr.child, cx);
      const e = child.run;
      const negated = expr.negated;
      return makeNode(expr, sqlTypes.boolean(), false, definite((row, ctx) => {
        const v = e(row, ctx);
        return (v === null || v === undefined) !== negated;
      }), [child]);
    }
    case 'in':
      return compileIn(expr, cx);
    case 'between': {
      const ge: Expr = { kind: 'binary', op: '>=', left: expr.child, right: expr.low };
      const le: Expr = { kind: 'binary', op: '<=', left: expr.child, right: expr.high };
      const and = compileNode({ kind: 'binary', op: 'AND', left: ge, right: le }, cx);
      if (!expr.negated) return { ...and, expr };
      const e = and.run;
      return makeNode(expr, sqlTypes.boolean(), true, (row, ctx) => {
        const v = e(row, ctx);
        return v === null || v === undefined ? null : !v;
      }, [and]);
    }
    case 'like':
      return compileLike(expr, cx);
    case 'caseWhen':
      return compileCaseWhen(expr, cx);
    case 'call':
      return compileCall(expr, cx);
    case 'field': {
      const child = compileNode(expr.child, cx);
      const step = extractStep(child.dataType, expr.name, expr.child);
      if (step === undefined) {
        throw exprError(
          ExprErrorCodes.UNRESOLVED_COLUMN,
          `[FIELD_NOT_FOUND] No such struct field ${quoteParts([expr.name])} in ${(child.dataType as StructType).fields.map((f) => quoteParts([f.name])).join(', ')}. SQLSTATE: 42704`,
          { field: expr.name },
        );
      }
      const e = child.run;
      const get = step.get;
      return makeNode(expr, step.dataType, true, (row, ctx) => {
        const v = e(row, ctx);
        return v === null || v === undefined ? null : get(v);
      }, [child]);
    }
    case 'subscript':
      return compileSubscript(expr, cx);
    case 'sortOrder':
      return { ...compileNode(expr.child, cx), expr };
  }
}

function compileCall(call: CallExpr, cx: Cx): Node {
  if (call.star === true) {
    if (call.name === 'count') {
      throw exprError(ErrorCodesUnsupported, '[MISSING_GROUP_BY] count(*) is an aggregate; use it in agg() or select() over a whole DataFrame.', {
        expression: 'count(1)',
      });
    }
    throw exprError('INVALID_ARGUMENT', `[INVALID_USAGE_OF_STAR_OR_REGEX] Invalid usage of '*' in expression \`${call.name}\`. SQLSTATE: 42000`, {
      function: call.name,
    });
  }
  const fn = lookupFunction(call.name);
  if (fn === undefined) {
    if (AGGREGATE_NAMES.has(call.name)) {
      throw exprError(ErrorCodesUnsupported, `[MISSING_GROUP_BY] ${prettySql(call)} is an aggregate; use it in agg() or a grouped select.`, {
        expression: prettySql(call),
      });
    }
    throw exprError(
      ExprErrorCodes.UNRESOLVED_ROUTINE,
      `[UNRESOLVED_ROUTINE] Cannot resolve routine ${quoteParts((call.written ?? call.name).split('.'))} on search path [\`system\`.\`builtin\`, \`system\`.\`session\`, \`spark_catalog\`.\`default\`]. SQLSTATE: 42883`,
      { function: call.name },
    );
  }
  if (call.distinct) {
    throw exprError('INVALID_ARGUMENT', `[INVALID_DISTINCT] DISTINCT is only supported on aggregate functions; \`${call.name}\` is not one.`, { function: call.name });
  }
  if (fn.kind === 'generator' && call !== cx.generatorAllowedAt) {
    throw exprError(
      'INVALID_ARGUMENT',
      `[UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS] The generator is not supported: nested in expressions "${prettySql(call)}". SQLSTATE: 0A000`,
      { expression: prettySql(call) },
    );
  }
  if (call.args.length < fn.minArgs || call.args.length > fn.maxArgs) throw wrongArgs(call.name, call.args.length, fn.minArgs, fn.maxArgs);
  const inner: Cx = cx.generatorAllowedAt === undefined ? cx : { schema: cx.schema, qualifiers: cx.qualifiers };
  const args = call.args.map((a) => compileNode(a, inner));
  return fn.compile(call, args);
}

// ---- operators ---------------------------------------------------------------------------------------------

type BinaryExpr = Expr & { kind: 'binary' };

function compileBinary(expr: BinaryExpr, cx: Cx): Node {
  switch (expr.op) {
    case 'AND':
    case 'OR':
      return compileLogical(expr, cx);
    case '=':
    case '==':
    case '!=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '<=>':
      return compileComparison(expr, cx);
    case '||': {
      const call: CallExpr = { kind: 'call', name: 'concat', args: [expr.left, expr.right], distinct: false };
      return { ...compileCall(call, cx), expr };
    }
    case '&':
    case '|':
    case '^':
      return compileBitwise(expr, cx);
    default:
      return compileArithmetic(expr, cx);
  }
}

function compileLogical(expr: BinaryExpr, cx: Cx): Node {
  const l = compileNode(expr.left, cx);
  const r = compileNode(expr.right, cx);
  const ok = (t: DataType): boolean => isBoolean(t) || isNull(t);
  if (!ok(l.dataType) || !ok(r.dataType)) {
    if (!l.dataType.equals(r.dataType)) {
      throw mismatch(expr, 'BINARY_OP_DIFF_TYPES', `the left and right operands of the binary operator have incompatible types ("${l.dataType.sql()}" and "${r.dataType.sql()}")`);
    }
    throw mismatch(expr, 'BINARY_OP_WRONG_TYPE', `the binary operator requires the input type "BOOLEAN", not "${l.dataType.sql()}"`);
  }
  const le = l.run;
  const re = r.run;
  const evaluate: Evaluator =
    expr.op === 'AND'
      ? (row, ctx) => {
          const a = le(row, ctx);
          if (a === false) return false;
          const b = re(row, ctx);
          if (b === false) return false;
          return a === null || a === undefined || b === null || b === undefined ? null : true;
        }
      : (row, ctx) => {
          const a = le(row, ctx);
          if (a === true) return true;
          const b = re(row, ctx);
          if (b === true) return true;
          return a === null || a === undefined || b === null || b === undefined ? null : false;
        };
  return makeNode(expr, sqlTypes.boolean(), l.nullable || r.nullable, definite(evaluate), [l, r]);
}

/** The type both sides of a comparison are cast to (Spark's `findCommonTypeForBinaryComparison`). */
function comparisonType(expr: Expr, l: Node, r: Node): DataType {
  const a = l.dataType;
  const b = r.dataType;
  if (isNull(a)) return b;
  if (isNull(b)) return a;
  if (isMap(a) || isMap(b)) {
    throw mismatch(expr, 'INVALID_ORDERING_TYPE', `The \`${(expr as BinaryExpr).op}\` does not support ordering on type "${(isMap(a) ? a : b).sql()}"`);
  }
  if (a.equalsIgnoreNullability(b)) return a;
  if (isNumeric(a) && isNumeric(b)) return widerNumeric(a, b);
  if (isString(a) && (isNumeric(b) || isBoolean(b) || isTimestamp(b) || isDate(b))) return b;
  if (isString(b) && (isNumeric(a) || isBoolean(a) || isTimestamp(a) || isDate(a))) return a;
  if ((isTimestamp(a) && isDate(b)) || (isDate(a) && isTimestamp(b))) return sqlTypes.timestamp();
  if ((isBoolean(a) && isNumeric(b)) || (isNumeric(a) && isBoolean(b))) return isBoolean(a) ? b : a;
  const wider = commonType([a, b]);
  if (wider !== undefined) return wider;
  throw mismatch(expr, 'BINARY_OP_DIFF_TYPES', `the left and right operands of the binary operator have incompatible types ("${a.sql()}" and "${b.sql()}")`);
}

function compileComparison(expr: BinaryExpr, cx: Cx): Node {
  const l0 = compileNode(expr.left, cx);
  const r0 = compileNode(expr.right, cx);
  const type = comparisonType(expr, l0, r0);
  const l = castNode(l0, type);
  const r = castNode(r0, type);
  const le = l.run;
  const re = r.run;
  const op = expr.op;
  if (op === '<=>') {
    return makeNode(expr, sqlTypes.boolean(), false, definite((row, ctx) => {
      const a = le(row, ctx);
      const b = re(row, ctx);
      const an = a === null || a === undefined;
      const bn = b === null || b === undefined;
      if (an || bn) return an && bn;
      return valuesEqual(a, b);
    }), [l, r]);
  }
  const test: (c: number) => boolean =
    op === '=' || op === '==' ? (c) => c === 0
    : op === '!=' || op === '<>' ? (c) => c !== 0
    : op === '<' ? (c) => c < 0
    : op === '<=' ? (c) => c <= 0
    : op === '>' ? (c) => c > 0
    : (c) => c >= 0;
  const numeric = isNumeric(type);
  const general = (a: unknown, b: unknown): boolean => test(compareValues(a, b));
  const rc = r.constant ? constantValue(r) : undefined;
  let evaluate: Evaluator;
  if (numeric && typeof rc === 'number' && rc === rc) {
    // `x op literal` over numbers: the literal is captured; two non-NaN numbers compare with JS operators.
    evaluate = compareWithConstant(op, le, rc, general);
  } else if (numeric) {
    evaluate = fastCompare(op, le, re, general);
  } else if (isString(type) && typeof rc === 'string' && (op === '=' || op === '==' || op === '!=' || op === '<>')) {
    // `x = 'literal'` / `x != 'literal'` over strings: equality needs no ordering (what a filter on a level or a
    // host column does per row).
    const equal = op === '=' || op === '==';
    evaluate = (row, ctx) => {
      const a = le(row, ctx);
      if (a === null || a === undefined) return null;
      return typeof a === 'string' ? (a === rc) === equal : general(a, rc);
    };
  } else {
    evaluate = (row, ctx) => {
      const a = le(row, ctx);
      if (a === null || a === undefined) return null;
      const b = re(row, ctx);
      if (b === null || b === undefined) return null;
      return general(a, b);
    };
  }
  return makeNode(expr, sqlTypes.boolean(), true, definite(evaluate), [l, r]);
}

/** The operand type of an arithmetic operator: strings read as DOUBLE (Spark's non-ANSI implicit cast). */
function arithmeticOperand(n: Node): DataType {
  return isString(n.dataType) ? sqlTypes.double() : n.dataType;
}

/** Spark's DecimalPrecision result type of `l op r`. */
function decimalResult(op: string, a: DecimalType, b: DecimalType): DecimalType {
  const [p1, s1, p2, s2] = [a.precision, a.scale, b.precision, b.scale];
  switch (op) {
    case '+':
    case '-': {
      const scale = Math.max(s1, s2);
      return boundedDecimal(Math.max(p1 - s1, p2 - s2) + scale + 1, scale);
    }
    case '*':
      return boundedDecimal(p1 + p2 + 1, s1 + s2);
    case '/': {
      const scale = Math.max(6, s1 + p2 + 1);
      return boundedDecimal(p1 - s1 + s2 + scale, scale);
    }
    default: {
      const scale = Math.max(s1, s2);
      return boundedDecimal(Math.min(p1 - s1, p2 - s2) + scale, scale);
    }
  }
}

function compileArithmetic(expr: BinaryExpr, cx: Cx): Node {
  const l = compileNode(expr.left, cx);
  const r = compileNode(expr.right, cx);
  const op = expr.op;
  // Date-time arithmetic: timestamp ± interval, date ± interval, date ± days.
  if ((op === '+' || op === '-') && (isInterval(r.dataType) || isInterval(l.dataType))) return compileIntervalArithmetic(expr, l, r);
  if ((op === '+' || op === '-') && isDate(l.dataType) && isIntegral(r.dataType)) {
    const call: CallExpr = { kind: 'call', name: op === '+' ? 'date_add' : 'date_sub', args: [expr.left, expr.right], distinct: false };
    return { ...compileCall(call, cx), expr };
  }
  const lt0 = arithmeticOperand(l);
  const rt0 = arithmeticOperand(r);
  const okOperand = (t: DataType): boolean => isNumeric(t) || isNull(t);
  if (!okOperand(lt0) || !okOperand(rt0)) {
    if (!l.dataType.equals(r.dataType)) {
      throw mismatch(expr, 'BINARY_OP_DIFF_TYPES', `the left and right operands of the binary operator have incompatible types ("${l.dataType.sql()}" and "${r.dataType.sql()}")`);
    }
    throw mismatch(expr, 'BINARY_OP_WRONG_TYPE', `the binary operator requires the input type ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL"), not "${l.dataType.sql()}"`);
  }
  const lt = isNull(lt0) ? (isNull(rt0) ? sqlTypes.int() : rt0) : lt0;
  const rt = isNull(rt0) ? lt : rt0;
  let operandType: DataType;
  let resultType: DataType;
  if (op === 'DIV') {
    operandType = isDecimal(lt) || isDecimal(rt) ? sqlTypes.double() : widerNumeric(lt, rt);
    resultType = sqlTypes.long();
  } else if (op === '/' && !isDecimal(lt) && !isDecimal(rt)) {
    operandType = sqlTypes.double();
    resultType = sqlTypes.double();
  } else if ((isDecimal(lt) || isDecimal(rt)) && !isFloating(lt) && !isFloating(rt)) {
    const da = decimalForLiteral(expr.left, lt);
    const db = decimalForLiteral(expr.right, rt);
    operandType = sqlTypes.double();
    resultType = decimalResult(op, da, db);
  } else {
    operandType = widerNumeric(lt, rt);
    resultType = operandType;
  }
  const ln = isDecimal(operandType) ? l : castNode(l, operandType);
  const rn = isDecimal(operandType) ? r : castNode(r, operandType);
  const le = ln.run;
  const re = rn.run;
  const finish = resultFinisher(resultType);
  const compute = arithmetic(op, operandType);
  const general = (a: unknown, b: unknown): unknown => {
    const v = compute(Number(a), Number(b));
    return v === null ? null : finish(v);
  };
  const width = fastArithmeticWidth(op, operandType.typeName, resultType.typeName);
  const rc = rn.constant ? constantValue(rn) : undefined;
  let evaluate: Evaluator;
  if (width !== undefined && typeof rc === 'number' && (rc !== 0 || (op !== '/' && op !== '%'))) {
    // `x op literal`: the literal (cast at compile time) is captured, not evaluated per row.
    evaluate = arithmeticWithConstant(op, width, le, rc, general);
  } else if (width !== undefined) {
    evaluate = fastArithmetic(op, width, le, re, general);
  } else {
    evaluate = (row, ctx) => {
      const a = le(row, ctx);
      if (a === null || a === undefined) return null;
      const b = re(row, ctx);
      if (b === null || b === undefined) return null;
      return general(a, b);
    };
  }
  return makeNode(expr, resultType, true, definite(evaluate), [ln, rn]);
}

function arithmetic(op: string, operandType: DataType): (a: number, b: number) => number | null {
  const int32 = operandType.typeName === 'integer';
  switch (op) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return int32 ? (a, b) => Math.imul(a, b) : (a, b) => a * b;
    case '/':
      return (a, b) => (b === 0 ? null : a / b);
    case '%':
      return (a, b) => (b === 0 ? null : a % b);
    case 'DIV':
      return (a, b) => (b === 0 ? null : Math.trunc(a / b));
    default:
      return () => null;
  }
}

/** Normalizes a JS number to a value of `type`: integral wrap-around, float rounding, decimal scale/overflow. */
function resultFinisher(type: DataType): (v: number) => number | null {
  const bits = (type as { bits?: 8 | 16 | 32 | 64 }).bits;
  if (bits !== undefined) return (v) => wrapIntegral(v, bits);
  if (type.typeName === 'float') return (v) => Math.fround(v);
  if (isDecimal(type)) {
    const limit = 10 ** (type.precision - type.scale);
    return (v) => {
      const r = roundHalfUp(v, type.scale);
      return Math.abs(r) >= limit ? null : r;
    };
  }
  return (v) => v;
}

function compileIntervalArithmetic(expr: BinaryExpr, l: Node, r: Node): Node {
  const [time, interval] = isInterval(r.dataType) ? [l, r] : [r, l];
  if (isInterval(l.dataType) && expr.op === '-') {
    throw mismatch(expr, 'BINARY_OP_DIFF_TYPES', `the left and right operands of the binary operator have incompatible types ("${l.dataType.sql()}" and "${r.dataType.sql()}")`);
  }
  let t = time;
  if (isString(t.dataType)) t = castNode(t, sqlTypes.timestamp());
  if (!isTimestamp(t.dataType) && !isDate(t.dataType) && !isNull(t.dataType)) {
    throw mismatch(expr, 'BINARY_OP_DIFF_TYPES', `the left and right operands of the binary operator have incompatible types ("${l.dataType.sql()}" and "${r.dataType.sql()}")`);
  }
  const sign = expr.op === '-' ? -1 : 1;
  const te = t.run;
  const ie = interval.run;
  return makeNode(expr, sqlTypes.timestamp(), true, (row, ctx) => {
    const d = te(row, ctx);
    const iv = ie(row, ctx) as { months: number; days: number; micros: number } | null;
    if (!(d instanceof Date) || iv === null || iv === undefined) return null;
    const out = new Date(d.getTime());
    if (iv.months !== 0) {
      // Spark's month arithmetic clamps the day of month (Jan 31 + 1 month = Feb 29/28).
      const day = out.getUTCDate();
      out.setUTCDate(1);
      out.setUTCMonth(out.getUTCMonth() + sign * iv.months);
      const last = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
      out.setUTCDate(Math.min(day, last));
    }
    return new Date(out.getTime() + sign * (iv.days * 86_400_000 + Math.trunc(iv.micros / 1000)));
  }, [t, interval]);
}

function compileBitwise(expr: BinaryExpr, cx: Cx): Node {
  const l = compileNode(expr.left, cx);
  const r = compileNode(expr.right, cx);
  const ok = (t: DataType): boolean => isIntegral(t) || isNull(t);
  if (!ok(l.dataType) || !ok(r.dataType)) {
    throw mismatch(expr, l.dataType.equals(r.dataType) ? 'BINARY_OP_WRONG_TYPE' : 'BINARY_OP_DIFF_TYPES',
      l.dataType.equals(r.dataType)
        ? `the binary operator requires the input type "INTEGRAL", not "${l.dataType.sql()}"`
        : `the left and right operands of the binary operator have incompatible types ("${l.dataType.sql()}" and "${r.dataType.sql()}")`);
  }
  const type = widerNumeric(isNull(l.dataType) ? r.dataType : l.dataType, isNull(r.dataType) ? l.dataType : r.dataType);
  const t = isNull(type) ? sqlTypes.int() : type;
  const ln = castNode(l, t);
  const rn = castNode(r, t);
  const long = t.typeName === 'long';
  const op = expr.op;
  return makeNode(expr, t, true, (row, ctx) => {
    const a = ln.run(row, ctx);
    const b = rn.run(row, ctx);
    if (a === null || a === undefined || b === null || b === undefined) return null;
    if (long) {
      const x = BigInt.asIntN(64, BigInt(a as number));
      const y = BigInt.asIntN(64, BigInt(b as number));
      return Number(BigInt.asIntN(64, op === '&' ? x & y : op === '|' ? x | y : x ^ y));
    }
    const x = a as number;
    const y = b as number;
    return op === '&' ? x & y : op === '|' ? x | y : x ^ y;
  }, [ln, rn]);
}

function compileUnary(expr: Expr & { kind: 'unary' }, cx: Cx): Node {
  const child = compileNode(expr.child, cx);
  const t = child.dataType;
  if (expr.op === 'NOT') {
    let c = child;
    if (isString(t)) c = castNode(child, sqlTypes.boolean());
    else if (!isBoolean(t) && !isNull(t)) {
      throw mismatch(expr, 'UNEXPECTED_INPUT_TYPE', `The first parameter requires the "BOOLEAN" type, however ${quoted(expr.child)} has the type "${t.sql()}"`);
    }
    const e = c.run;
    return makeNode(expr, sqlTypes.boolean(), c.nullable, definite((row, ctx) => {
      const v = e(row, ctx);
      return v === null || v === undefined ? null : !v;
    }), [c]);
  }
  if (expr.op === '~') {
    if (!isIntegral(t) && !isNull(t)) {
      throw mismatch(expr, 'UNEXPECTED_INPUT_TYPE', `The first parameter requires the "INTEGRAL" type, however ${quoted(expr.child)} has the type "${t.sql()}"`);
    }
    const long = t.typeName === 'long';
    const bits = (t as { bits?: 8 | 16 | 32 | 64 }).bits ?? 32;
    const e = child.run;
    return makeNode(expr, isNull(t) ? sqlTypes.int() : t, true, (row, ctx) => {
      const v = e(row, ctx);
      if (v === null || v === undefined) return null;
      return long ? Number(BigInt.asIntN(64, ~BigInt(v as number))) : wrapIntegral(~(v as number), bits);
    }, [child]);
  }
  let c = child;
  if (isString(t)) c = castNode(child, sqlTypes.double());
  else if (!isNumeric(t) && !isNull(t) && !isInterval(t)) {
    throw mismatch(expr, 'UNEXPECTED_INPUT_TYPE', `The first parameter requires ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL") type, however ${quoted(expr.child)} has the type "${t.sql()}"`);
  }
  if (expr.op === '+') return { ...c, expr };
  const type = isNull(c.dataType) ? sqlTypes.int() : c.dataType;
  const bits = (type as { bits?: 8 | 16 | 32 | 64 }).bits;
  const e = c.run;
  return makeNode(expr, type, true, (row, ctx) => {
    const v = e(row, ctx);
    if (v === null || v === undefined) return null;
    if (typeof v === 'object') {
      const iv = v as { months: number; days: number; micros: number };
      return { months: -iv.months, days: -iv.days, micros: -iv.micros };
    }
    const n = -(v as number);
    return bits === undefined ? n : wrapIntegral(n, bits);
  }, [c]);
}

function compileIn(expr: Expr & { kind: 'in' }, cx: Cx): Node {
  const child = compileNode(expr.child, cx);
  const items = expr.list.map((e) => compileNode(e, cx));
  const type = commonType([child.dataType, ...items.map((i) => i.dataType)]);
  if (type === undefined) {
    throw mismatch(expr, 'DATA_DIFF_TYPES', `Input to \`in\` should all be the same type, but it's [${[child, ...items].map((n) => `"${n.dataType.sql()}"`).join(', ')}]`);
  }
  const c = castNode(child, type);
  const list = items.map((i) => castNode(i, type));
  const ce = c.run;
  const negated = expr.negated;
  if (list.every((n) => n.constant)) {
    const values = list.map((n) => n.run({}, { batchTimestampMs: 0 }));
    const hasNull = values.some((v) => v === null || v === undefined);
    const nonNull = values.filter((v) => v !== null && v !== undefined);
    const fast = nonNull.every((v) => typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v))) ? new Set(nonNull) : undefined;
    return makeNode(expr, sqlTypes.boolean(), true, (row, ctx) => {
      const v = ce(row, ctx);
      if (v === null || v === undefined) return null;
      const found = fast !== undefined && (typeof v === 'string' || typeof v === 'number') ? fast.has(v) || (v === 0 && fast.has(-0)) : nonNull.some((x) => valuesEqual(v, x));
      if (found) return !negated;
      return hasNull ? null : negated;
    }, [c, ...list]);
  }
  return makeNode(expr, sqlTypes.boolean(), true, (row, ctx) => {
    const v = ce(row, ctx);
    if (v === null || v === undefined) return null;
    let sawNull = false;
    for (const n of list) {
      const x = n.run(row, ctx);
      if (x === null || x === undefined) sawNull = true;
      else if (valuesEqual(v, x)) return !negated;
    }
    return sawNull ? null : negated;
  }, [c, ...list]);
}

function compileLike(expr: Expr & { kind: 'like' }, cx: Cx): Node {
  const child = stringArg(expr, 0, compileNode(expr.child, cx));
  const pattern = stringArg(expr, 1, compileNode(expr.pattern, cx));
  const escape = expr.escape ?? '\\';
  const ignoreCase = expr.ilike === true;
  const build = (p: string): RegExp => (expr.rlike === true ? javaRegExp(p, 'rlike') : likeToRegExp(p, escape, ignoreCase));
  const fixed = pattern.constant ? pattern.run({}, { batchTimestampMs: 0 }) : undefined;
  const re = typeof fixed === 'string' ? build(fixed) : undefined;
  const ce = child.run;
  const pe = pattern.run;
  const negated = expr.negated;
  return makeNode(expr, sqlTypes.boolean(), true, (row, ctx) => {
    const s = ce(row, ctx);
    if (s === null || s === undefined) return null;
    let r = re;
    if (r === undefined) {
      const p = pe(row, ctx);
      if (p === null || p === undefined) return null;
      r = build(p as string);
    }
    r.lastIndex = 0;
    return r.test(s as string) !== negated;
  }, [child, pattern]);
}

function compileCaseWhen(expr: Expr & { kind: 'caseWhen' }, cx: Cx): Node {
  const conds = expr.branches.map(([c]) => {
    const n = compileNode(c, cx);
    if (!isBoolean(n.dataType) && !isNull(n.dataType)) {
      throw mismatch(expr, 'UNEXPECTED_INPUT_TYPE', `The first parameter requires the "BOOLEAN" type, however ${quoted(c)} has the type "${n.dataType.sql()}"`);
    }
    return n;
  });
  const values = expr.branches.map(([, v]) => compileNode(v, cx));
  const otherwise = expr.otherwise === undefined ? undefined : compileNode(expr.otherwise, cx);
  const all = otherwise === undefined ? values : [...values, otherwise];
  const type = commonType(all.map((n) => n.dataType));
  if (type === undefined) {
    throw mismatch(expr, 'DATA_DIFF_TYPES', `Input to \`casewhen\` should all be the same type, but it's [${all.map((n) => `"${n.dataType.sql()}"`).join(', ')}]`);
  }
  const vs = values.map((v) => castNode(v, type).run);
  const cs = conds.map((c) => c.run);
  const oe = otherwise === undefined ? undefined : castNode(otherwise, type).run;
  return makeNode(expr, type, true, (row, ctx) => {
    for (let i = 0; i < cs.length; i++) if (cs[i]!(row, ctx) === true) return vs[i]!(row, ctx);
    return oe === undefined ? null : oe(row, ctx);
  }, [...conds, ...all]);
}

function compileSubscript(expr: Expr & { kind: 'subscript' }, cx: Cx): Node {
  const child = compileNode(expr.child, cx);
  const index = compileNode(expr.index, cx);
  const t = child.dataType;
  const ce = child.run;
  if (isArray(t)) {
    if (!isIntegral(index.dataType) && !isNull(index.dataType) && !isString(index.dataType)) {
      throw mismatch(expr, 'UNEXPECTED_INPUT_TYPE', `The second parameter requires the "INTEGRAL" type, however ${quoted(expr.index)} has the type "${index.dataType.sql()}"`);
    }
    const ie = castNode(index, sqlTypes.int()).run;
    return makeNode(expr, t.elementType, true, (row, ctx) => {
      const a = ce(row, ctx);
      const i = ie(row, ctx);
      if (!Array.isArray(a) || typeof i !== 'number') return null;
      return i >= 0 && i < a.length ? a[i] : null;
    }, [child, index]);
  }
  if (isMap(t)) {
    const ie = castNode(index, t.keyType).run;
    return makeNode(expr, t.valueType, true, (row, ctx) => {
      const m = ce(row, ctx);
      const k = ie(row, ctx);
      if (m === null || m === undefined || k === null || k === undefined) return null;
      return mapGet(m, k);
    }, [child, index]);
  }
  if (isStruct(t) && index.constant && typeof index.run({}, { batchTimestampMs: 0 }) === 'string') {
    return { ...compileNode({ kind: 'field', child: expr.child, name: index.run({}, { batchTimestampMs: 0 }) as string }, cx), expr };
  }
  throw exprError(
    ExprErrorCodes.DATATYPE_MISMATCH,
    `[INVALID_EXTRACT_BASE_FIELD_TYPE] Can't extract a value from ${quoted(expr.child)}. Need a complex type [STRUCT, ARRAY, MAP] but got "${t.sql()}". SQLSTATE: 42000`,
    { expression: prettySql(expr) },
  );
}

/** The output schema of a projection of `exprs` over `schema` (`*` expands to every column). */
export function projectionSchema(exprs: readonly Expr[], schema: StructType, options: CompileOptions = {}): StructType {
  const fields: StructField[] = [];
  for (const e of exprs) {
    if (e.kind === 'column' && (e.parts ?? [e.name]).at(-1) === '*') {
      fields.push(...schema.fields);
      continue;
    }
    const c = compileExpr(e, schema, options);
    fields.push(new StructField(c.name, c.dataType, c.nullable));
  }
  return new StructTypeClass(fields);
}

export { isAtomic as isAtomicType, isBinary as isBinaryType };
