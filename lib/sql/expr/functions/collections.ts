/**
 * Spark's collection functions (`complexTypeCreator.scala`, `collectionOperations.scala`): building structs,
 * arrays and maps, their size, membership and element lookup, and `concat` and `reverse`, which take strings or
 * arrays (Spark files both as collection functions). Generators (`explode`) are `generators.ts`.
 *
 * Invariants: a built struct is a plain object whose fields are own data properties (`setOwn`, so a field named
 * `__proto__` is a field) and a MAP is a JS `Map` whose keys are compared with Spark's equality (`valuesEqual`);
 * a null map key fails with NULL_MAP_KEY; the elements of `array(...)` and the keys and values of `map(...)` are
 * cast to their common type; indexes are 1-based (`element_at`), and index 0 fails with INVALID_INDEX_OF_ZERO.
 */
import type { Row } from '../../../contracts';
import { exprError, ExprErrorCodes } from '../errorCodes';
import type { Expr } from '../Expr';
import { castNode, makeNode, stringArg, unexpectedInput, type Node } from '../compiled';
import { outputName } from '../outputName';
import { isArray, isMap, isNull, sqlTypes } from '../typeSupport';
import { mapGet, setOwn, valuesEqual } from '../values';
import { constantArg, intArg, unify } from './arguments';
import { functionTable, scalar, strict, type FunctionTable } from './scalarFunction';

/** The field name `struct(...)` gives an argument (Spark's CreateStruct): alias or column name, else `col<n>`. */
function structFieldName(arg: Expr, i: number): string {
  if (arg.kind === 'alias' || arg.kind === 'column') return outputName(arg);
  if (arg.kind === 'field') return arg.name;
  return `col${i + 1}`;
}

/** The collection functions by name. */
export const COLLECTION_FUNCTIONS: FunctionTable = functionTable([
  ['struct', scalar(0, Infinity, (call, args) => {
    const names = call.args.map((a, i) => structFieldName(a, i));
    const type = sqlTypes.struct(names.map((n, i) => ({ name: n, dataType: args[i]!.dataType, nullable: args[i]!.nullable })));
    const evals = args.map((a) => a.run);
    return makeNode(call, type, false, (row, ctx) => {
      const out: Row = {};
      for (let i = 0; i < evals.length; i++) {
        const v = evals[i]!(row, ctx);
        setOwn(out, names[i]!, v === undefined ? null : v);
      }
      return out;
    }, args);
  })],
  ['named_struct', scalar(0, Infinity, (call, args) => {
    if (args.length % 2 !== 0) {
      throw exprError(ExprErrorCodes.WRONG_NUM_ARGS, `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`named_struct\` requires 2n (n > 0) parameters but the actual number is ${args.length}. SQLSTATE: 42605`, { function: 'named_struct' });
    }
    const names: string[] = [];
    const values: Node[] = [];
    for (let i = 0; i < args.length; i += 2) {
      const n = constantArg(call, i, args[i]!, 'name');
      if (typeof n !== 'string') throw unexpectedInput(call, i, args[i]!, '"STRING"');
      names.push(n);
      values.push(args[i + 1]!);
    }
    const type = sqlTypes.struct(names.map((n, i) => ({ name: n, dataType: values[i]!.dataType, nullable: values[i]!.nullable })));
    const evals = values.map((a) => a.run);
    return makeNode(call, type, false, (row, ctx) => {
      const out: Row = {};
      for (let i = 0; i < evals.length; i++) {
        const v = evals[i]!(row, ctx);
        setOwn(out, names[i]!, v === undefined ? null : v);
      }
      return out;
    }, values);
  })],
  ['array', scalar(0, Infinity, (call, args) => {
    if (args.length === 0) return makeNode(call, sqlTypes.array(sqlTypes.null(), false), false, () => [], []);
    const { type, nodes } = unify(call, args, 'array');
    const evals = nodes.map((n) => n.run);
    return makeNode(call, sqlTypes.array(type, nodes.some((n) => n.nullable)), false, (row, ctx) => evals.map((e) => {
      const v = e(row, ctx);
      return v === undefined ? null : v;
    }), nodes);
  })],
  [['map', 'create_map'], scalar(0, Infinity, (call, args) => {
    if (args.length % 2 !== 0) {
      throw exprError(ExprErrorCodes.WRONG_NUM_ARGS, `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`map\` requires 2n (n > 0) parameters but the actual number is ${args.length}. SQLSTATE: 42605`, { function: 'map' });
    }
    const keys = unify(call, args.filter((_, i) => i % 2 === 0), 'map');
    const values = args.length === 0 ? { type: sqlTypes.null(), nodes: [] as Node[] } : unify(call, args.filter((_, i) => i % 2 === 1), 'map');
    const type = sqlTypes.map(keys.type ?? sqlTypes.null(), values.type, true);
    return makeNode(call, type, false, (row, ctx) => {
      const out = new Map<unknown, unknown>();
      for (let i = 0; i < keys.nodes.length; i++) {
        const k = keys.nodes[i]!.run(row, ctx);
        if (k === null || k === undefined) {
          throw exprError('INVALID_ARGUMENT', '[NULL_MAP_KEY] Cannot use null as map key. SQLSTATE: 2200E');
        }
        const existing = [...out.keys()].find((x) => valuesEqual(x, k));
        const v = values.nodes[i]!.run(row, ctx);
        out.set(existing ?? k, v === undefined ? null : v);
      }
      return out;
    }, [...keys.nodes, ...values.nodes]);
  })],
  [['size', 'cardinality'], scalar(1, 1, (call, args) => {
    const a = args[0]!;
    if (!isArray(a.dataType) && !isMap(a.dataType) && !isNull(a.dataType)) throw unexpectedInput(call, 0, a, '("ARRAY" or "MAP")');
    const e = a.run;
    return makeNode(call, sqlTypes.int(), false, (row, ctx) => {
      const v = e(row, ctx);
      if (v === null || v === undefined) return -1;
      return v instanceof Map ? v.size : Array.isArray(v) ? v.length : -1;
    }, [a]);
  })],
  ['array_contains', scalar(2, 2, (call, args) => {
    const arr = args[0]!;
    if (!isArray(arr.dataType)) throw unexpectedInput(call, 0, arr, '"ARRAY"');
    const item = castNode(args[1]!, arr.dataType.elementType);
    return strict(call, [arr, item], sqlTypes.boolean(), ([xs, v]) => {
      let sawNull = false;
      for (const x of xs as unknown[]) {
        if (x === null || x === undefined) sawNull = true;
        else if (valuesEqual(x, v)) return true;
      }
      return sawNull ? null : false;
    });
  })],
  ['element_at', scalar(2, 2, (call, args) => {
    const a = args[0]!;
    if (isMap(a.dataType)) {
      const key = castNode(args[1]!, a.dataType.keyType);
      return strict(call, [a, key], a.dataType.valueType, ([m, k]) => mapGet(m, k));
    }
    if (!isArray(a.dataType)) throw unexpectedInput(call, 0, a, '("ARRAY" or "MAP")');
    const idx = intArg(call, 1, args[1]!);
    return strict(call, [a, idx], a.dataType.elementType, ([xs, i]) => {
      const arr = xs as unknown[];
      const n = i as number;
      if (n === 0) throw exprError('INVALID_ARGUMENT', '[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1). SQLSTATE: 22003');
      const j = n > 0 ? n - 1 : arr.length + n;
      return j >= 0 && j < arr.length ? arr[j] : null;
    });
  })],
  [['reverse'], scalar(1, 1, (call, args) => {
    const a = args[0]!;
    if (isArray(a.dataType)) return strict(call, [a], a.dataType, ([v]) => [...(v as unknown[])].reverse());
    return strict(call, [stringArg(call, 0, a)], sqlTypes.string(), ([s]) => Array.from(s as string).reverse().join(''));
  })],
  ['concat', scalar(0, Infinity, (call, args) => {
    if (args.length > 0 && args.every((a) => isArray(a.dataType) || isNull(a.dataType)) && args.some((a) => isArray(a.dataType))) {
      const { type, nodes } = unify(call, args, 'concat');
      return strict(call, nodes, type, (vs) => (vs as unknown[][]).flat(0).reduce<unknown[]>((acc, v) => acc.concat(v as unknown[]), []));
    }
    if (args.length === 0) return makeNode(call, sqlTypes.string(), false, () => '', []);
    const nodes = args.map((a, i) => stringArg(call, i, a));
    return strict(call, nodes, sqlTypes.string(), (vs) => (vs as string[]).join(''));
  })],
]);
