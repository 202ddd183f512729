/**
 * Spark's null-handling and conditional functions (`nullExpressions.scala`, `conditionalExpressions.scala`, and
 * `greatest`/`least` of `arithmetic.scala`): coalesce, nvl, nvl2, nullif, if, isnull, isnotnull, isnan, nanvl,
 * greatest, least. `CASE WHEN` is a node of its own (`../compile/caseWhen.ts`).
 *
 * Invariants: none of these is strict; a null argument gives what Spark gives (coalesce, greatest and least skip
 * nulls; isnull, isnotnull and isnan never return null; `if` takes the else branch on a null condition); the
 * alternatives are cast to their common type (DATA_DIFF_TYPES otherwise); `if` and `nvl2` evaluate only the
 * branch taken, and coalesce stops at the first non-null argument.
 */
import { makeNode, unexpectedInput } from '../compiled';
import { isBoolean, isNull, sqlTypes } from '../typeSupport';
import { compareNullable, valuesEqual } from '../values';
import { doubleArg, unify } from './arguments';
import { functionTable, scalar, type FunctionTable, type ScalarFunction } from './scalarFunction';

const coalesce = scalar(1, Infinity, (call, args) => {
  const { type, nodes } = unify(call, args, 'coalesce');
  const evals = nodes.map((n) => n.run);
  return makeNode(call, type, nodes.every((n) => n.nullable), (row, ctx) => {
    for (const e of evals) {
      const v = e(row, ctx);
      if (v !== null && v !== undefined) return v;
    }
    return null;
  }, nodes);
});

/** `greatest` (`sign` 1) and `least` (-1): the extreme non-null argument, null when all are null. */
function extremum(name: string, sign: 1 | -1): ScalarFunction {
  return scalar(2, Infinity, (call, args) => {
    const { type, nodes } = unify(call, args, name);
    const evals = nodes.map((n) => n.run);
    return makeNode(call, type, nodes.every((n) => n.nullable), (row, ctx) => {
      let best: unknown = null;
      for (const e of evals) {
        const v = e(row, ctx);
        if (v === null || v === undefined) continue;
        if (best === null || sign * compareNullable(v, best) > 0) best = v;
      }
      return best;
    }, nodes);
  });
}

/** The null-handling and conditional functions by name. */
export const CONDITIONAL_FUNCTIONS: FunctionTable = functionTable([
  ['coalesce', coalesce],
  [['nvl', 'ifnull'], scalar(2, 2, (call, args) => coalesce.compile(call, args))],
  ['nvl2', scalar(3, 3, (call, args) => {
    const { type, nodes } = unify(call, args.slice(1), 'nvl2');
    const [c, a, b] = [args[0]!.run, nodes[0]!.run, nodes[1]!.run];
    return makeNode(call, type, true, (row, ctx) => {
      const v = c(row, ctx);
      return v === null || v === undefined ? b(row, ctx) : a(row, ctx);
    }, [args[0]!, ...nodes]);
  })],
  ['nullif', scalar(2, 2, (call, args) => {
    const { nodes } = unify(call, args, 'nullif');
    const [a, b] = [nodes[0]!.run, nodes[1]!.run];
    return makeNode(call, args[0]!.dataType, true, (row, ctx) => {
      const x = a(row, ctx);
      if (x === null || x === undefined) return null;
      const y = b(row, ctx);
      return y !== null && y !== undefined && valuesEqual(x, y) ? null : x;
    }, nodes);
  })],
  ['if', scalar(3, 3, (call, args) => {
    const cond = args[0]!;
    if (!isBoolean(cond.dataType) && !isNull(cond.dataType)) throw unexpectedInput(call, 0, cond, '"BOOLEAN"');
    const { type, nodes } = unify(call, args.slice(1), 'if');
    const [c, a, b] = [cond.run, nodes[0]!.run, nodes[1]!.run];
    return makeNode(call, type, nodes[0]!.nullable || nodes[1]!.nullable, (row, ctx) => (c(row, ctx) === true ? a(row, ctx) : b(row, ctx)), [cond, ...nodes]);
  })],
  ['isnull', scalar(1, 1, (call, args) => {
    const e = args[0]!.run;
    return makeNode(call, sqlTypes.boolean(), false, (row, ctx) => {
      const v = e(row, ctx);
      return v === null || v === undefined;
    }, args);
  })],
  ['isnotnull', scalar(1, 1, (call, args) => {
    const e = args[0]!.run;
    return makeNode(call, sqlTypes.boolean(), false, (row, ctx) => {
      const v = e(row, ctx);
      return v !== null && v !== undefined;
    }, args);
  })],
  ['isnan', scalar(1, 1, (call, args) => {
    const a = doubleArg(call, 0, args[0]!);
    const e = a.run;
    return makeNode(call, sqlTypes.boolean(), false, (row, ctx) => {
      const v = e(row, ctx);
      return typeof v === 'number' && Number.isNaN(v);
    }, [a]);
  })],
  ['nanvl', scalar(2, 2, (call, args) => {
    const a = doubleArg(call, 0, args[0]!);
    const b = doubleArg(call, 1, args[1]!);
    return makeNode(call, sqlTypes.double(), true, (row, ctx) => {
      const x = a.run(row, ctx);
      return typeof x === 'number' && Number.isNaN(x) ? b.run(row, ctx) : x;
    }, [a, b]);
  })],
  ['greatest', extremum('greatest', 1)],
  ['least', extremum('least', -1)],
]);
