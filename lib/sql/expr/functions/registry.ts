/**
 * The built-in function registry (Spark's `FunctionRegistry`): the category tables merged into one lookup by
 * lower-case name, and the errors of a lookup that fails (UNRESOLVED_ROUTINE, MISSING_GROUP_BY for an aggregate
 * used as a scalar) or of a call with the wrong number of arguments (WRONG_NUM_ARGS), with Spark's messages.
 *
 * Invariants: the registry is built once from the tables and never changed (nothing registers a function at
 * import or later); every name belongs to exactly one table (spec/sql/expr/functions/registry.spec.ts); lookups
 * go through a `Map`, so names such as `constructor` or `__proto__` are simply unknown functions. Aggregate
 * functions are not in the registry: their names and builders are `aggregates.ts`.
 */
import { exprError, ExprErrorCodes } from '../errorCodes';
import type { CallExpr } from '../Expr';
import { quoteParts } from '../compiled';
import { prettySql } from '../outputName';
import { AGGREGATE_NAMES } from './aggregates';
import { COLLECTION_FUNCTIONS } from './collections';
import { CONDITIONAL_FUNCTIONS } from './conditional';
import { DATETIME_FUNCTIONS } from './datetime';
import { GENERATORS } from './generators';
import { JSON_FUNCTIONS } from './json';
import { MATH_FUNCTIONS } from './math';
import { MISC_FUNCTIONS } from './misc';
import { STRING_FUNCTIONS } from './strings';
import { TIME_WINDOW_FUNCTIONS } from './timeWindows';
import type { FunctionTable, ScalarFunction } from './scalarFunction';

export type { ScalarFunction } from './scalarFunction';

/** The category tables, in the order Spark's `FunctionRegistry` lists its categories (name → table). */
export const FUNCTION_TABLES: Readonly<Record<string, FunctionTable>> = {
  conditional: CONDITIONAL_FUNCTIONS,
  math: MATH_FUNCTIONS,
  string: STRING_FUNCTIONS,
  datetime: DATETIME_FUNCTIONS,
  timeWindow: TIME_WINDOW_FUNCTIONS,
  collection: COLLECTION_FUNCTIONS,
  generator: GENERATORS,
  misc: MISC_FUNCTIONS,
  json: JSON_FUNCTIONS,
};

const F: FunctionTable = new Map(Object.values(FUNCTION_TABLES).flatMap((table) => [...table]));

/** The built-in function `name` (lower case), or undefined. */
export function lookupFunction(name: string): ScalarFunction | undefined {
  return F.get(name);
}

/** Every built-in scalar/generator/window function name (for suggestions and docs). */
export function functionNames(): string[] {
  return [...F.keys()].sort();
}

/**
 * The built-in function `call` names. An unknown name fails: with MISSING_GROUP_BY when it is an aggregate's
 * (an aggregate outside `agg()` or a grouped select), else with Spark's UNRESOLVED_ROUTINE (the name as written).
 */
export function resolveFunction(call: CallExpr): ScalarFunction {
  const fn = F.get(call.name);
  if (fn !== undefined) return fn;
  if (AGGREGATE_NAMES.has(call.name)) {
    throw exprError(ExprErrorCodes.UNSUPPORTED_OPERATION, `[MISSING_GROUP_BY] ${prettySql(call)} is an aggregate; use it in agg() or a grouped select.`, {
      expression: prettySql(call),
    });
  }
  throw exprError(
    ExprErrorCodes.UNRESOLVED_ROUTINE,
    `[UNRESOLVED_ROUTINE] Cannot resolve routine ${quoteParts((call.written ?? call.name).split('.'))} on search path [\`system\`.\`builtin\`, \`system\`.\`session\`, \`spark_catalog\`.\`default\`]. SQLSTATE: 42883`,
    { function: call.name },
  );
}

/** Spark's WRONG_NUM_ARGS error for a call of `name` with `actual` arguments where `min` to `max` are accepted. */
export function wrongArgs(name: string, actual: number, min: number, max: number): Error {
  const expected = min === max ? `${min}` : max === Infinity ? `> ${min - 1}` : `[${Array.from({ length: max - min + 1 }, (_, i) => min + i).join(', ')}]`;
  return exprError(
    ExprErrorCodes.WRONG_NUM_ARGS,
    `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires ${expected} parameters but the actual number is ${actual}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix. SQLSTATE: 42605`,
    { function: name, actual },
  );
}
