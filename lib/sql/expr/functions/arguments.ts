/**
 * The implicit casts of function arguments (Spark's `ImplicitCastInputTypes` with `spark.sql.ansi.enabled=false`)
 * and the checks on constant arguments, shared by the function tables. `stringArg` lives with the compiled form
 * (`../compiled.ts`), since operators use it too.
 *
 * Invariants: an argument of an accepted type comes back as a node of the target type (the same node when it has
 * that type already); any other type fails at compile time with Spark's DATATYPE_MISMATCH message
 * (UNEXPECTED_INPUT_TYPE, NON_FOLDABLE_INPUT, DATA_DIFF_TYPES), never per row.
 */
import type { CallExpr } from '../Expr';
import { castNode, constantValue, mismatch, unexpectedInput, type Node } from '../compiled';
import { prettySql } from '../outputName';
import { commonType, isDate, isDecimal, isFloating, isIntegral, isNull, isNumeric, isString, isTimestamp, sqlTypes, type DataType } from '../typeSupport';

/** A numeric argument cast to DOUBLE (strings too, as Spark's implicit cast does). */
export function doubleArg(call: CallExpr, i: number, arg: Node): Node {
  const t = arg.dataType;
  if (isNumeric(t) || isString(t) || isNull(t)) return castNode(arg, sqlTypes.double());
  throw unexpectedInput(call, i, arg, '"DOUBLE"');
}

/** An integral argument cast to INT. */
export function intArg(call: CallExpr, i: number, arg: Node): Node {
  const t = arg.dataType;
  if (isIntegral(t) || isNull(t) || isString(t) || isDecimal(t) || isFloating(t)) return castNode(arg, sqlTypes.int());
  throw unexpectedInput(call, i, arg, '"INT"');
}

/** A timestamp argument (strings and dates are cast). */
export function timestampArg(call: CallExpr, i: number, arg: Node): Node {
  const t = arg.dataType;
  if (isTimestamp(t)) return arg;
  if (isString(t) || isDate(t) || isNull(t)) return castNode(arg, sqlTypes.timestamp());
  throw unexpectedInput(call, i, arg, '"TIMESTAMP"');
}

/** A date argument (strings and timestamps are cast). */
export function dateArg(call: CallExpr, i: number, arg: Node): Node {
  const t = arg.dataType;
  if (isDate(t)) return arg;
  if (isString(t) || isTimestamp(t) || isNull(t)) return castNode(arg, sqlTypes.date());
  throw unexpectedInput(call, i, arg, '"DATE"');
}

/** The value of an argument that must be constant (a pattern, a format, a duration). */
export function constantArg(call: CallExpr, _i: number, arg: Node, what: string): unknown {
  if (!arg.constant) {
    throw mismatch(call, 'NON_FOLDABLE_INPUT', `the input ${what} should be a foldable "${arg.dataType.sql()}" expression; however, got ${JSON.stringify(prettySql(arg.expr))}`);
  }
  return constantValue(arg);
}

/** The common type of `args` or a DATA_DIFF_TYPES mismatch; each argument cast to it. */
export function unify(call: CallExpr, args: readonly Node[], fn: string): { type: DataType; nodes: Node[] } {
  const type = commonType(args.map((a) => a.dataType));
  if (type === undefined) {
    throw mismatch(call, 'DATA_DIFF_TYPES', `Input to \`${fn}\` should all be the same type, but it's [${args.map((a) => `"${a.dataType.sql()}"`).join(', ')}]`);
  }
  return { type, nodes: args.map((a) => castNode(a, type)) };
}
