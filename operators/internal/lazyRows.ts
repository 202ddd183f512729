/**
 * Batches whose rows are built on first read, so `window() → groupByKey() → agg()` never materializes the
 * windowed rows (the aggregation visits them one at a time, as Spark's generated code does).
 *
 * Invariant: a lazy batch is indistinguishable by value from the eager one: reading `rows` (directly, by spread,
 * by JSON) builds exactly the array the eager operator would have built, once, and every later read returns
 * that array; assigning `rows` replaces it for that batch object. An operator may visit the rows without
 * building them (`forEachLazyRow`) only while nobody has read them: a batch found in the registry is one a weir
 * operator made, so any other operator that replaced or re-spread the batch made a new object the registry does
 * not know, and its rows are read the normal way. By construction the rows are copied from the producing
 * operator's input when they are built or visited, not when that operator ran: code that mutates those input rows
 * in between, through a reference kept from before (no weir operator does), would be seen.
 */
import type { MicroBatch, Row } from '../../lib/contracts';

/** How to produce the rows of a lazy batch: each row is handed to `visit` in output order. */
export interface RowsPlan {
  forEach(visit: (row: Row) => void): void;
  /**
   * Optional: the same rows, each as an input row plus one column, without building them: `visit(row, c, v)`
   * stands for the row `{ ...row, [c]: v }`.
   */
  forEachWithColumn?(visit: (row: Row, column: string, value: unknown) => void): void;
}

interface LazyState {
  readonly plan: RowsPlan;
  /** Built rows, shared by every batch object made from the same plan. */
  built: Row[] | undefined;
}

const registry = new WeakMap<object, LazyState>();

const isEnumerable = Object.prototype.propertyIsEnumerable;

function build(state: LazyState): Row[] {
  if (state.built === undefined) {
    const out: Row[] = [];
    state.plan.forEach((row) => {
      out.push(row);
    });
    state.built = out;
  }
  return state.built;
}

/** Own enumerable properties of `batch` except `rows`, as a spread copies them (without reading `rows`). */
function fieldsOf(batch: object): Record<PropertyKey, unknown> {
  const out: Record<PropertyKey, unknown> = {};
  for (const key of Reflect.ownKeys(batch)) {
    if (key === 'rows' || !isEnumerable.call(batch, key)) continue;
    out[key as string] = (batch as Record<PropertyKey, unknown>)[key as string];
  }
  return out;
}

function lazyBatch<T>(fields: Record<PropertyKey, unknown>, state: LazyState): MicroBatch<T> {
  let replaced: readonly Row[] | undefined;
  const out = fields;
  Object.defineProperty(out, 'rows', {
    get: () => replaced ?? build(state),
    set: (rows: readonly Row[]) => {
      replaced = rows;
      registry.delete(out);
    },
    enumerable: true,
    configurable: true,
  });
  registry.set(out, state);
  return out as unknown as MicroBatch<T>;
}

/** `{ ...batch, ...changes, rows }` with `rows` produced by `plan` on first read. */
export function withLazyRows<T>(batch: MicroBatch<unknown>, changes: Partial<MicroBatch<unknown>>, plan: RowsPlan): MicroBatch<T> {
  return lazyBatch<T>({ ...fieldsOf(batch), ...changes }, { plan, built: undefined });
}

/** `{ ...batch, ...changes }` without building lazy rows: the result shares them with `batch` (or has `changes.rows`). */
export function withChanges<T>(batch: MicroBatch<T>, changes: Partial<MicroBatch<T>>): MicroBatch<T> {
  const state = registry.get(batch);
  if (state === undefined) return { ...batch, ...changes };
  if ('rows' in changes) return { ...fieldsOf(batch), ...changes } as unknown as MicroBatch<T>;
  return lazyBatch<T>({ ...fieldsOf(batch), ...changes }, state);
}

/**
 * Like {@link forEachLazyRow}, with each row given as `(row, column, value)` = `{ ...row, [column]: value }`;
 * false when the rows were built or the plan has no such form.
 */
export function forEachLazyRowWithColumn(
  batch: MicroBatch<unknown>,
  visit: (row: Row, column: string, value: unknown) => void,
): boolean {
  const state = registry.get(batch);
  if (state === undefined || state.built !== undefined || state.plan.forEachWithColumn === undefined) return false;
  state.plan.forEachWithColumn(visit);
  return true;
}

/**
 * Visits the rows of `batch` one at a time when they were never built (returns true), else does nothing and
 * returns false (read `batch.rows` instead).
 */
export function forEachLazyRow(batch: MicroBatch<unknown>, visit: (row: Row) => void): boolean {
  const state = registry.get(batch);
  if (state === undefined || state.built !== undefined) return false;
  state.plan.forEach(visit);
  return true;
}
