/**
 * Spark's miscellaneous functions (`misc.scala`): `typeof`. weir has none of Spark's hash functions (`md5`,
 * `sha2`, `hash`, `crc32`, ...) yet; they belong here.
 *
 * Invariant: `typeof` depends only on the argument's type, so it is a constant (its argument is not evaluated).
 */
import { makeNode } from '../compiled';
import { sqlTypes } from '../typeSupport';
import { functionTable, scalar, type FunctionTable } from './scalarFunction';

/** The miscellaneous functions by name. */
export const MISC_FUNCTIONS: FunctionTable = functionTable([
  ['typeof', scalar(1, 1, (call, args) => {
    const name = args[0]!.dataType.simpleString();
    return makeNode(call, sqlTypes.string(), false, () => name, []);
  })],
]);
