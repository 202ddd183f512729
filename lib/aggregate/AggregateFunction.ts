/**
 * The declarative aggregate-function model of weir (Spark's `DeclarativeAggregate` / `ImperativeAggregate`,
 * reduced to what streaming partial aggregation needs).
 *
 * Invariants:
 * - A buffer is plain data (numbers, strings, booleans, null, arrays, plain objects, Uint8Array, Date), so the
 *   state store can persist it with msgpackr between micro-batches and hand it back equal.
 * - `merge` is associative, and for every split of an input sequence into consecutive chunks, folding each chunk
 *   with `update` from `init()` and merging the chunk buffers left to right equals folding the whole sequence.
 * - `merge` never mutates its arguments (a decoded state buffer may be a view into the store's bytes);
 *   `update` may mutate the buffer it is given and returns the buffer to keep.
 */
import type { Row } from '../contracts';
import { WeirError, ErrorCodes } from '../errors';

/**
 * One aggregate function: how to fold input values into a buffer, combine two buffers, and produce the result.
 *
 * @example
 * ```ts
 * const f = sum('price');
 * let buf = f.init();
 * for (const row of rows) buf = f.update(buf, f.input(row));
 * f.evaluate(buf); // the sum, or null when no price was non-null
 * ```
 */
export interface AggregateFunction<In = unknown, Buf = unknown, Out = unknown> {
  /** Spark's output column name when no alias is given: `count(1)`, `sum(v)`, `approx_count_distinct(v)`, ... */
  readonly name: string;
  /** Extracts the argument from a row (a column, a nested field, or a function of the row). */
  readonly input: (row: Row) => In;
  /** A fresh, empty buffer. */
  init(): Buf;
  /** Folds one input value into `buf`; may mutate `buf` and return it. Keep the returned buffer. */
  update(buf: Buf, value: In): Buf;
  /**
   * `a ⊕ b`: `a` holds earlier input (the state), `b` later input (this batch's partial aggregate). Associative;
   * never mutates `a` or `b`.
   */
  merge(a: Buf, b: Buf): Buf;
  /** The result for a buffer. Does not mutate `buf`; a returned array is a copy the caller may keep. */
  evaluate(buf: Buf): Out;
}

/**
 * The aggregates of one `agg(...)`: output column name → aggregate function. Use a function's `name` as the key
 * for Spark's default column name.
 *
 * @example
 * ```ts
 * const c = count();
 * const spec: AggregateSpec = { [c.name]: c, total: sum('amount') }; // columns 'count(1)' and 'total'
 * ```
 */
export type AggregateSpec = Record<string, AggregateFunction>;

/**
 * A column argument: a column name (`'v'`, nested `'a.b'`, a backquoted segment `` '`a.b`' `` for a name with a
 * dot) or a function of the row.
 */
export type Column<T = unknown> = string | ((row: Row) => T);

/**
 * The accessor of a column argument: a function of the row returning the value (`undefined` for a missing field,
 * which every aggregate treats as null).
 *
 * @example
 * ```ts
 * columnAccessor('user.id')({ user: { id: 7 } }); // 7
 * columnAccessor('user.id')({ user: null });      // undefined
 * ```
 */
export function columnAccessor<T = unknown>(column: Column<T>): (row: Row) => T {
  if (typeof column === 'function') return column;
  if (typeof column !== 'string' || column.length === 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'A column must be a non-empty column name or a function of the row.', {
      context: { column: String(column) },
    });
  }
  const path = parseColumnPath(column);
  if (path.length === 1) {
    const key = path[0]!;
    return (row) => row[key] as T;
  }
  if (path.length === 2) {
    const [a, b] = path as [string, string];
    return (row) => {
      const o = row[a];
      return (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[b] : undefined) as T;
    };
  }
  return (row) => {
    let o: unknown = row;
    for (let i = 0; i < path.length; i++) {
      if (o === null || typeof o !== 'object') return undefined as T;
      o = (o as Record<string, unknown>)[path[i]!];
    }
    return o as T;
  };
}

/**
 * How a column argument shows in an output column name: the column text as written (Spark shows `a.b` too), or
 * the function's `name` (`expr` for an anonymous function).
 */
export function columnDisplayName(column: Column): string {
  if (typeof column === 'function') return column.name.length > 0 ? column.name : 'expr';
  return column;
}

/** Splits `a.b.c` into segments; a backquoted segment (`` `a.b`.c ``) keeps its dots, ``` `` ``` is a backquote. */
function parseColumnPath(column: string): string[] {
  if (!column.includes('`')) return column.split('.');
  const segments: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < column.length; i++) {
    const c = column[i]!;
    if (quoted) {
      if (c === '`') {
        if (column[i + 1] === '`') {
          current += '`';
          i++;
        } else {
          quoted = false;
        }
      } else {
        current += c;
      }
    } else if (c === '`') {
      quoted = true;
    } else if (c === '.') {
      segments.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (quoted) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Unclosed backquote in column name "${column}".`, {
      context: { column },
    });
  }
  segments.push(current);
  return segments;
}
