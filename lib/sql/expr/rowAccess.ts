/**
 * Reading a row's top-level field on the hot path of compiled expressions.
 *
 * Invariants: only own properties are ever read: a field the row does not own reads as missing, even when
 * `Object.prototype` (or the row's own prototype) has a property of that name (`constructor`, `toString`, a
 * polluted key), exactly as an `Object.hasOwn` check before the read would give; a row that is not an object
 * has no fields. The costly `Object.hasOwn` runs only when the fast answer cannot be proven: the value read is
 * defined and the row's prototype is neither null nor a pristine `Object.prototype` for that key.
 */
import type { Row } from '../../contracts';
import type { Evaluator } from './compiled';

const OBJECT_PROTOTYPE: object = Object.prototype;

/** Readers that return null for a missing field, by the reader returning undefined for it. */
const DEFINITE_READ = new WeakMap<Evaluator, Evaluator>();

/**
 * The reader of the own property `key` of a row: its value, or `missing` when the row does not own `key` (or
 * owns it with the value undefined), or is not an object.
 */
function ownReader(key: string, missing: null | undefined): (row: Row) => unknown {
  return (row) => {
    if (row === null || row === undefined) return missing;
    const v = row[key];
    if (v === undefined) return missing;
    // A defined value read from a row whose prototype is null, or Object.prototype without `key`, is own.
    const proto: unknown = Object.getPrototypeOf(row);
    if (proto === null || (proto === OBJECT_PROTOTYPE && !(key in OBJECT_PROTOTYPE))) return v;
    return typeof row === 'object' && Object.hasOwn(row, key) ? v : missing;
  };
}

/**
 * The reader of a top-level field: the own property's value, undefined when missing (the column node's `run`).
 * Its twin that returns null instead is registered for `definiteReadOf`.
 */
export function readTopField(key: string): (row: Row) => unknown {
  const read = ownReader(key, undefined);
  DEFINITE_READ.set(read, ownReader(key, null));
  return read;
}

/** For a reader made by `readTopField`, the same reader returning null for a missing field; else undefined. */
export function definiteReadOf(f: Evaluator): Evaluator | undefined {
  return DEFINITE_READ.get(f);
}
