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
import type { MicroBatch, Row, RowChunks } from '../../lib/contracts';

/**
 * A row in extended form: `row` plus columns, standing for `{ ...row, [names[0]]: values[0], ... }` (a later name
 * overrides an earlier one and the row's own). Within one traversal `names` is one array object (its identity
 * may key a cache) and `values` may be one array overwritten per row: read it during the call only.
 */
export type ExtendedVisit = (row: Row, names: readonly string[], values: readonly unknown[]) => void;

/** How to produce the rows of a lazy batch: each row is handed to `visit` in output order. */
export interface RowsPlan {
  forEach(visit: (row: Row) => void): void;
  /** Optional: the same rows in extended form, without building them. */
  forEachExtended?(visit: ExtendedVisit): void;
  /** Optional: the built rows as an array made already (an operator passing its input's rows through). */
  rows?(): Row[];
}

interface LazyState {
  readonly plan: RowsPlan;
  /** Built rows, shared by every batch object made from the same plan. */
  built: Row[] | undefined;
}

const registry = new WeakMap<object, LazyState>();

const isEnumerable = Object.prototype.propertyIsEnumerable;

function build(state: LazyState): Row[] {
  if (state.built === undefined && state.plan.rows !== undefined) state.built = state.plan.rows();
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
 * Like {@link forEachLazyRow}, with each row in extended form (see {@link ExtendedVisit}); false when the rows
 * were built or the plan has no such form.
 */
export function forEachLazyRowExtended(batch: MicroBatch<unknown>, visit: ExtendedVisit): boolean {
  const state = registry.get(batch);
  if (state === undefined || state.built !== undefined || state.plan.forEachExtended === undefined) return false;
  state.plan.forEachExtended(visit);
  return true;
}

const NO_NAMES: readonly string[] = [];
const NO_VALUES: readonly unknown[] = [];

/**
 * Every row of `batch` in extended form: lazily when it can, else each row as it is (no extra columns). What an
 * operator producing lazy rows uses to read its input.
 */
export function forEachRowExtended(batch: MicroBatch<unknown>, visit: ExtendedVisit): void {
  if (forEachLazyRowExtended(batch, visit)) return;
  if (forEachLazyRow(batch, (row) => visit(row, NO_NAMES, NO_VALUES))) return;
  const rows = batch.rows as readonly Row[];
  for (let i = 0; i < rows.length; i += 1) visit(rows[i]!, NO_NAMES, NO_VALUES);
}

/**
 * One column appended to rows in extended form: `names(inNames)` is `inNames` followed by the column (memoized on
 * the identity of `inNames`, one array per traversal), `values(inValues, value)` the input values followed by
 * `value` in one array reused from row to row (see ExtendedVisit).
 */
export class AppendedColumn {
  private lastIn: readonly string[] | undefined;
  private lastOut: string[] = [];
  private out: unknown[] = [];

  constructor(private readonly name: string) {}

  names(inNames: readonly string[]): readonly string[] {
    if (inNames !== this.lastIn) {
      this.lastIn = inNames;
      this.lastOut = [...inNames, this.name];
    }
    return this.lastOut;
  }

  values(inValues: readonly unknown[], value: unknown): readonly unknown[] {
    const last = inValues.length;
    if (this.out.length !== last + 1) this.out = new Array<unknown>(last + 1);
    const out = this.out;
    for (let i = 0; i < last; i += 1) out[i] = inValues[i];
    out[last] = value;
    return out;
  }
}

/**
 * A plan given by its extended form; reading the rows builds each one with {@link extendRow}, except a row with
 * no extra columns, which is itself (an operator that only passes or drops rows shares them, as its eager form).
 */
export function extendedPlan(forEachExtended: (visit: ExtendedVisit) => void): RowsPlan {
  return {
    forEachExtended,
    forEach(visit) {
      forEachExtended((row, names, values) => visit(names.length === 0 ? row : extendRow(row, names, values)));
    },
  };
}

/**
 * Reads one column of rows in extended form: the value of the last extra column of that name, else the row's.
 * The position is looked up once per `names` array.
 */
export class ExtendedColumnReader {
  private lastNames: readonly string[] | undefined;
  private position = -1;

  constructor(private readonly column: string) {}

  read(row: Row, names: readonly string[], values: readonly unknown[]): unknown {
    if (names !== this.lastNames) {
      this.lastNames = names;
      this.position = names.lastIndexOf(this.column);
    }
    return this.position < 0 ? row[this.column] : values[this.position];
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The row an extended row stands for: `{ ...row, [names[i]]: values[i] ... }`. `Object.assign` copies exactly what
 * the spread copies (own enumerable string and symbol keys, getters read) and is several times faster per row
 * (the copy keeps spare in-object slots for the new columns); the spread stays for the cases where an
 * assignment would set the prototype instead of defining a `__proto__` property.
 */
export function extendRow(row: Row, names: readonly string[], values: readonly unknown[]): Row {
  if (hasOwn.call(row, '__proto__') || names.includes('__proto__')) {
    let out: Row = { ...row };
    for (let i = 0; i < names.length; i += 1) out = { ...out, [names[i]!]: values[i] };
    return out;
  }
  const out = Object.assign({}, row) as Row;
  for (let i = 0; i < names.length; i += 1) out[names[i]!] = values[i];
  return out;
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

/** A plan whose rows are `chunks`' rows (a source's, made chunk by chunk as they are visited). */
export function chunksPlan(chunks: RowChunks): RowsPlan {
  return extendedPlan((visit) =>
    chunks.forEachChunk((rows) => {
      for (let i = 0; i < rows.length; i += 1) visit(rows[i]!, NO_NAMES, NO_VALUES);
    }),
  );
}
