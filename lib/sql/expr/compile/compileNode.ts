/**
 * The compiler of one expression node: resolves and compiles the node by its kind, leaves and wrappers here
 * (literal, interval, column, alias, cast, sort order) and every other node family in its own module, which gets
 * this function to compile sub-expressions with.
 *
 * Invariants: compilation never generates code (no `eval`, no `new Function`): every node becomes a closure built
 * by a family compiler or by a function of the registry; a bare name that is no column but one of Spark's literal
 * functions (`current_date`) compiles as that function's call; analysis errors (UNRESOLVED_COLUMN,
 * AMBIGUOUS_REFERENCE, UNRESOLVED_ROUTINE, WRONG_NUM_ARGS, DATATYPE_MISMATCH) are raised while compiling, never
 * per row.
 */
import { exprError, ExprErrorCodes } from '../errorCodes';
import type { BinaryExpr, CallExpr, Expr } from '../Expr';
import { castNode, constantNode, quoted, type Node } from '../compiled';
import { prettySql } from '../outputName';
import { canCast, cannotCastMessage, intervalType } from '../typeSupport';
import { resolveColumn } from '../analyzer/resolve';
import { compileArithmetic } from './arithmetic';
import { compileBitwise } from './bitwise';
import { compileCall } from './call';
import { compileCaseWhen } from './caseWhen';
import { compileComparison } from './comparison';
import { compileField, compileSubscript } from './extractValue';
import { compileLogical } from './logical';
import { compileBetween, compileIn, compileIsNull, compileLike } from './predicates';
import { compileUnary } from './unary';
import { compileSpine, isLongChain } from './flatChains';
import type { Cx } from './context';

/** Compiles `expr` in scope `cx` (use `compileExpr` for a whole expression). */
export function compileNode(expr: Expr, cx: Cx): Node {
  const done = cx.compiled?.get(expr);
  if (done !== undefined) return done;
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
      return isLongChain(expr) ? compileSpine(expr, cx, compileBinary) : compileBinary(expr, cx);
    case 'unary':
      return compileUnary(expr, cx, compileNode);
    case 'isNull':
      return compileIsNull(expr, cx, compileNode);
    case 'in':
      return compileIn(expr, cx, compileNode);
    case 'between':
      return compileBetween(expr, cx, compileNode);
    case 'like':
      return compileLike(expr, cx, compileNode);
    case 'caseWhen':
      return compileCaseWhen(expr, cx, compileNode);
    case 'call':
      return compileCall(expr, cx, compileNode);
    case 'field':
      return compileField(expr, cx, compileNode);
    case 'subscript':
      return compileSubscript(expr, cx, compileNode);
    case 'sortOrder':
      return { ...compileNode(expr.child, cx), expr };
  }
}

/** Compiles a binary operator: dispatches on the operator's family (`||` is `concat`). */
function compileBinary(expr: BinaryExpr, cx: Cx): Node {
  switch (expr.op) {
    case 'AND':
    case 'OR':
      return compileLogical(expr, cx, compileNode);
    case '=':
    case '==':
    case '!=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '<=>':
      return compileComparison(expr, cx, compileNode);
    case '||': {
      const call: CallExpr = { kind: 'call', name: 'concat', args: [expr.left, expr.right], distinct: false };
      return { ...compileCall(call, cx, compileNode), expr };
    }
    case '&':
    case '|':
    case '^':
      return compileBitwise(expr, cx, compileNode);
    default:
      return compileArithmetic(expr, cx, compileNode);
  }
}
