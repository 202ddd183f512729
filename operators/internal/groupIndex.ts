/**
 * The in-batch hash index of grouping keys: finds the group of a row without building a key object, a values
 * array or an identity string per row.
 *
 * Invariant: two rows land in the same group iff their key tuples have the same `keyId` (see groupKey.ts), and
 * groups are listed in the order their first row was seen. How: one nested `Map` level per key column; a
 * primitive value is its own Map key (`undefined` read as `null`; Map's SameValueZero equates -0/0 and NaN/NaN
 * as `keyId` does, and keeps 1, '1', 1n and true apart as `keyId` does); any other value (Date, window struct,
 * object) is replaced by a token object interned by its `keyId` string, so equal values share a token and no
 * token equals a primitive. The last object seen per column and its token are memoized by identity, so rows
 * sharing one window struct (what `window()` emits) pay for its identity string once, and a row whose leading
 * key values are identically the previous row's skips those Map levels. Small non-negative integers are array
 * indexes of a level instead of Map keys (see Level).
 */
import { keyId } from './groupKey';

/** A group of the index: its key values (in column order) and what the caller keeps for it. */
export interface IndexedGroup<P> {
  readonly values: unknown[];
  readonly payload: P;
}

/**
 * One level of the index: a Map, plus an array for small non-negative integer keys (`value % 1000` and the like:
 * an array index costs a fraction of a Map probe). A new integer key goes to the array while that keeps it at most
 * about twice as long as its entries (so a few scattered large keys cannot make it big), else to the Map; a
 * lookup tries the array, then the Map, so every key is found where it was put. -0 is stored as 0, as Map's
 * SameValueZero has it.
 */
class Level {
  readonly map = new Map<unknown, unknown>();
  private readonly dense: unknown[] = [];
  private denseCount = 0;

  get(key: unknown): unknown {
    if (typeof key === 'number' && key >>> 0 === key && key < this.dense.length) {
      const found = this.dense[key];
      if (found !== undefined) return found;
    }
    return this.map.size === 0 ? undefined : this.map.get(key);
  }

  /** Adds a key `get` did not find. */
  set(key: unknown, value: unknown): void {
    if (typeof key === 'number' && key >>> 0 === key && key < 2 * this.denseCount + 64) {
      const dense = this.dense;
      // Grown by push: the array keeps fast elements.
      while (dense.length <= key) dense.push(undefined);
      dense[key] = value;
      this.denseCount += 1;
    } else this.map.set(key, value);
  }
}

const NO_NAMES: readonly string[] = [];
const NO_VALUES: readonly unknown[] = [];

/** Groups rows by the values of `columns`. */
export class GroupIndex<P> {
  /** Groups in first-seen order. */
  readonly groups: IndexedGroup<P>[] = [];
  private readonly root = new Level();
  private readonly tokens = new Map<string, object>();
  private readonly n: number;
  /** The previous row's values of the leading columns, and the Map each led to. */
  private readonly prefixValues: unknown[];
  private readonly prefixLevels: Level[];
  private hasPrevious = false;
  /** Per column: the last non-primitive value and its token. */
  private readonly lastObject: unknown[];
  private readonly lastToken: unknown[];
  /** Per column: its position among the extra columns of `lastNames`, or -1 (read from the row). */
  private readonly positions: number[];
  private lastNames: readonly string[] | undefined;

  constructor(
    private readonly columns: readonly string[],
    private readonly create: (row: Record<string, unknown>, values: unknown[]) => P,
  ) {
    this.n = columns.length;
    this.prefixValues = new Array<unknown>(this.n).fill(null);
    this.prefixLevels = new Array<Level>(this.n).fill(this.root);
    // A fresh object is never a column value: the first object of each column computes its token.
    this.lastObject = new Array<unknown>(this.n).fill(this.tokens);
    this.lastToken = new Array<unknown>(this.n).fill(null);
    this.positions = new Array<number>(this.n).fill(-1);
  }

  /** The payload of `row`'s group, created (with the row's key values) on the group's first row. */
  find(row: Record<string, unknown>): P {
    return this.findExtended(row, NO_NAMES, NO_VALUES);
  }

  /**
   * `find({ ...row, [names[0]]: values[0], ... })` without building that row (an extended row, see
   * internal/lazyRows).
   */
  findExtended(row: Record<string, unknown>, names: readonly string[], values: readonly unknown[]): P {
    const n = this.n;
    if (n === 0) {
      if (this.groups.length === 0) this.groups.push({ values: [], payload: this.create(row, []) });
      return this.groups[0]!.payload;
    }
    if (names !== this.lastNames) {
      this.lastNames = names;
      for (let i = 0; i < n; i += 1) this.positions[i] = names.lastIndexOf(this.columns[i]!);
    }
    const columns = this.columns;
    const positions = this.positions;
    let level = this.root;
    if (n > 1) {
      // While every leading value is (identically) the previous row's, the level is the previous row's too.
      let same = this.hasPrevious;
      for (let i = 0; i < n - 1; i += 1) {
        const p = positions[i]!;
        const v = p >= 0 ? values[p] : row[columns[i]!];
        if (same && v === this.prefixValues[i]) {
          level = this.prefixLevels[i]!;
          continue;
        }
        same = false;
        const key = typeof v === 'number' || typeof v === 'string' ? v : this.otherKey(i, v);
        let next = level.get(key) as Level | undefined;
        if (next === undefined) {
          next = new Level();
          level.set(key, next);
        }
        this.prefixValues[i] = v;
        this.prefixLevels[i] = next;
        level = next;
      }
      this.hasPrevious = true;
    }
    const last = n - 1;
    const pl = positions[last]!;
    const v = pl >= 0 ? values[pl] : row[columns[last]!];
    const key = typeof v === 'number' || typeof v === 'string' ? v : this.otherKey(last, v);
    const group = level.get(key) as IndexedGroup<P> | undefined;
    if (group !== undefined) return group.payload;
    const keyValues = new Array<unknown>(n);
    for (let i = 0; i < n; i += 1) {
      const p = positions[i]!;
      keyValues[i] = p >= 0 ? values[p] : row[columns[i]!];
    }
    const created: IndexedGroup<P> = { values: keyValues, payload: this.create(row, keyValues) };
    level.set(key, created);
    this.groups.push(created);
    return created.payload;
  }

  /** The Map key of a value that is not a number or a string. */
  private otherKey(i: number, v: unknown): unknown {
    switch (typeof v) {
      case 'boolean':
      case 'bigint':
        return v;
      case 'undefined':
        return null;
      default: {
        if (v === null) return null;
        if (v === this.lastObject[i]) return this.lastToken[i];
        const id = keyId([v]);
        let token = this.tokens.get(id);
        if (token === undefined) {
          token = {};
          this.tokens.set(id, token);
        }
        this.lastObject[i] = v;
        this.lastToken[i] = token;
        return token;
      }
    }
  }
}
