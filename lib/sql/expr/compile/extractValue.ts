/**
 * Compilation of value extraction from complex types (Spark's `ExtractValue`): a struct field `s.f` and a
 * subscript `a[i]` (array), `m[k]` (map) or `s['f']` (struct, by a constant name).
 *
 * Invariants: the field or subscript is resolved at compile time (FIELD_NOT_FOUND or
 * INVALID_EXTRACT_BASE_FIELD_TYPE otherwise, with Spark's messages); an array subscript is 0-based and a missing
 * element, key or field reads as null, as does a null base; struct fields are read as own properties only.
 */
import { exprError, ExprErrorCodes } from '../errorCodes';
import type { FieldExpr, SubscriptExpr } from '../Expr';
import { castNode, makeNode, mismatch, quoteParts, quoted, type Node } from '../compiled';
import { prettySql } from '../outputName';
import { isArray, isIntegral, isMap, isNull, isString, isStruct, sqlTypes, type StructType } from '../typeSupport';
import { mapGet } from '../values';
import { extractStep } from '../analyzer/resolve';
import type { CompileNode, Cx } from './context';

/** Compiles `child.name`, a field of a struct (or of each struct of an array, or a map key). */
export function compileField(expr: FieldExpr, cx: Cx, compile: CompileNode): Node {
  const child = compile(expr.child, cx);
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

/** Compiles `child[index]`. */
export function compileSubscript(expr: SubscriptExpr, cx: Cx, compile: CompileNode): Node {
  const child = compile(expr.child, cx);
  const index = compile(expr.index, cx);
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
    return { ...compile({ kind: 'field', child: expr.child, name: index.run({}, { batchTimestampMs: 0 }) as string }, cx), expr };
  }
  throw exprError(
    ExprErrorCodes.DATATYPE_MISMATCH,
    `[INVALID_EXTRACT_BASE_FIELD_TYPE] Can't extract a value from ${quoted(expr.child)}. Need a complex type [STRUCT, ARRAY, MAP] but got "${t.sql()}". SQLSTATE: 42000`,
    { expression: prettySql(expr) },
  );
}
