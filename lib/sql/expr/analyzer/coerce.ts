/**
 * Type coercion of the operators (Spark's TypeCoercion and DecimalPrecision rules with
 * `spark.sql.ansi.enabled=false`): the type both sides of a comparison are cast to, and the operand and result
 * types of arithmetic. The coercion of function arguments is `../functions/arguments.ts`.
 *
 * Invariants: pure functions of the operand types (and, for decimal literals, of the literal as written); a pair
 * of types with no common type fails with Spark's DATATYPE_MISMATCH at compile time; a NULL operand takes the other
 * side's type (in arithmetic, INT when both are NULL); a decimal result's precision and scale are bounded as Spark
 * bounds them (at most 38).
 */
import type { BinaryExpr, Expr } from '../Expr';
import { mismatch, type Node } from '../compiled';
import {
  boundedDecimal,
  commonType,
  decimalForLiteral,
  isBoolean,
  isDate,
  isDecimal,
  isFloating,
  isMap,
  isNull,
  isNumeric,
  isString,
  isTimestamp,
  sqlTypes,
  widerNumeric,
  type DataType,
} from '../typeSupport';
import type { DecimalType } from '../../../values/types';

/** The type both sides of a comparison are cast to (Spark's `findCommonTypeForBinaryComparison`). */
export function comparisonType(expr: Expr, l: Node, r: Node): DataType {
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

/** The operand type of an arithmetic operator: strings read as DOUBLE (Spark's non-ANSI implicit cast). */
export function arithmeticOperand(n: Node): DataType {
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

/**
 * The operand type (what both sides are cast to) and the result type of arithmetic `expr` whose operands have the
 * types `lt0` and `rt0` (numeric or NULL, as `arithmeticOperand` gives them): `DIV` is a BIGINT of the wider
 * integral (DOUBLE over decimals), `/` without decimals is DOUBLE, decimals without floats follow
 * DecimalPrecision (computed on doubles), anything else is the wider numeric type.
 */
export function arithmeticTypes(expr: BinaryExpr, lt0: DataType, rt0: DataType): { operandType: DataType; resultType: DataType } {
  const op = expr.op;
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
  return { operandType, resultType };
}
