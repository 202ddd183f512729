/**
 * Spark's generator functions (`generators.scala`): `explode` and `explode_outer` of an array or a map.
 *
 * Invariants: a generator's node evaluates to the collection to expand (the array, or the `Map`), never to one
 * output value; its `dataType` is the type of one output value (the element, or `struct<key, value>` for a map);
 * the projection expands it (`CompiledExpr.generator`), and the analyzer allows it only at the top of a
 * projection item (UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS otherwise).
 */
import { unexpectedInput } from '../compiled';
import { isArray, isMap, sqlTypes } from '../typeSupport';
import { functionTable, type FunctionTable, type ScalarFunction } from './scalarFunction';

/** `explode` or `explode_outer` (the two compile alike; `outer` is read from the name by `compileExpr`). */
function explodeFn(): ScalarFunction {
  return {
    kind: 'generator',
    minArgs: 1,
    maxArgs: 1,
    compile(call, args) {
      const a = args[0]!;
      if (!isArray(a.dataType) && !isMap(a.dataType)) throw unexpectedInput(call, 0, a, '("ARRAY" or "MAP")');
      const type = isArray(a.dataType)
        ? a.dataType.elementType
        : sqlTypes.struct([{ name: 'key', dataType: a.dataType.keyType, nullable: false }, { name: 'value', dataType: a.dataType.valueType }]);
      return { expr: call, dataType: type, nullable: true, run: a.run, constant: false };
    },
  };
}

/** The generator functions by name. */
export const GENERATORS: FunctionTable = functionTable([
  ['explode', explodeFn()],
  ['explode_outer', explodeFn()],
]);
