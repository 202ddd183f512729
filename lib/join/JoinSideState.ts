/**
 * The buffered rows of one side of a stream-stream join: an in-memory hash index (the store's memo) over a
 * durable layout of one state entry per batch.
 *
 * Invariants:
 * - Durable layout in the side's StateStore (keys are lib/state/keyEncoding tuples):
 *   `['b', batchId]` holds the rows that batch stored, sorted by eviction time (stable, nulls last), with their
 *   eviction times and which matched already (columnar when the rows share their columns, see StoredBlock);
 *   `['m', batchId, i]` marks row `i` of that block matched in a later batch; `['w']` is the last eviction
 *   threshold applied. A row of a block is buffered iff its eviction time is null or above `['w']`; a block is
 *   deleted (with its marks) once none of its rows is buffered. Everything written is a function of the previous
 *   version and the batch's rows, so a re-run batch writes the same state.
 * - The memo holds exactly the buffered rows, indexed by join key; it is rebuilt from the durable layout when the
 *   store has none (restart, rollback, failed batch), see StateStore.memo. It is a list of segments (oldest
 *   first), each one or more consecutive blocks with its own append-only hash index (ChainTable) and per-row typed
 *   arrays: a batch's rows go into a fresh, small index; eviction flags rows and a block drops whole, with no
 *   per-row index delete; beyond MAX_SEGMENTS the two smallest adjacent segments merge, so a lookup probes a
 *   bounded number of indexes (and skips a segment whose number keys cannot hold it, by their min and max).
 * - Columnar blocks stay columnar in memory (numbers and Dates as float64 arrays, rows rebuilt when output):
 *   the garbage collector traces no buffered row.
 * - Cost: a batch writes one entry per side plus one mark per newly matched old row of an outer (or semi) side,
 *   and deletes the blocks the watermark has fully passed; rows are encoded once, when stored. Buffered rows are
 *   held in memory (as Spark's HDFS-backed state store does), so the join's state must fit in the heap.
 */
import type { MaybePromise, Row, StateStore } from '../contracts';
import { decodeKey, encodeKey, type KeyPart } from '../state/keyEncoding';
import { toBinaryString } from '../state/binaryString';
import { all, then } from '../util/maybe';
import { toEpochMs } from '../window/TimeWindow';
import { ChainTable, hashNumber, isTableKey } from './ChainTable';

/**
 * A join key as an index key: the value itself for one number or string column (a string only when it does not
 * start with U+0000), else U+0000 followed by the binary string of the encoded tuple; the two never collide.
 */
export type JoinKey = number | string;

const BLOCK_START = encodeKey(['b']);
const BLOCK_END = encodeKey(['c']);
const MARK_START = encodeKey(['m']);
const MARK_END = encodeKey(['n']);
const THRESHOLD_KEY = encodeKey(['w']);

/**
 * A block as stored. Columnar when every row has the same columns in the same order: `c` names, `k` each column's
 * kind (`n` all numbers and `d` all Dates, both as little-endian float64 bytes, `i` all int32 numbers other than
 * -0, as little-endian int32 bytes, `v` any values), `v` the columns. Otherwise `r` the rows themselves. `t`
 * eviction times as float64 bytes (NaN for null), or `tc` the index of a numeric column holding exactly those
 * (a time column: the bytes are not written twice); `m` positions matched when written.
 */
interface StoredBlock {
  readonly c?: string[];
  readonly k?: ColumnKind[];
  readonly v?: Array<Uint8Array | unknown[]>;
  readonly r?: Row[];
  readonly t?: Uint8Array;
  readonly tc?: number;
  readonly m: number[];
}

type ColumnKind = 'n' | 'i' | 'd' | 'v';

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** `values` as little-endian float64 bytes (a view of them on little-endian machines: never mutated after). */
function float64Bytes(values: Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const copy = bytes.slice();
  for (let i = 0; i < copy.length; i += 8) copy.subarray(i, i + 8).reverse();
  return copy;
}

/** `values` (int32 numbers) as little-endian int32 bytes. */
function int32Bytes(values: Float64Array): Uint8Array {
  const ints = Int32Array.from(values);
  const bytes = new Uint8Array(ints.buffer);
  if (!LITTLE_ENDIAN) for (let i = 0; i < bytes.length; i += 4) bytes.subarray(i, i + 4).reverse();
  return bytes;
}

/** The numbers of {@link int32Bytes}, as float64. */
function int32s(bytes: Uint8Array): Float64Array {
  const copy = bytes.slice();
  if (!LITTLE_ENDIAN) for (let i = 0; i < copy.length; i += 4) copy.subarray(i, i + 4).reverse();
  return Float64Array.from(new Int32Array(copy.buffer, 0, copy.length / 4));
}

/** True when every number of `values` is an int32 other than -0 (so int32 bytes hold it exactly). */
function allInt32(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i]!;
    if ((v | 0) !== v || (v === 0 && 1 / v < 0)) return false;
  }
  return true;
}

/** True when `a` and `b` hold the same numbers (NaN equal to NaN). */
function sameNumbers(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && !(x !== x && y !== y)) return false;
  }
  return true;
}

/** The numbers of {@link float64Bytes} (copied: stored bytes need not be 8-byte aligned). */
function float64s(bytes: Uint8Array): Float64Array {
  const copy = bytes.slice();
  if (!LITTLE_ENDIAN) for (let i = 0; i < copy.length; i += 8) copy.subarray(i, i + 8).reverse();
  return new Float64Array(copy.buffer, 0, copy.length / 8);
}

/** True when `row` has exactly the columns `names`, in that order (so rebuilt rows list them alike). */
function hasColumns(row: Row, names: readonly string[]): boolean {
  let n = 0;
  for (const k in row) {
    if (names[n] !== k) return false;
    n += 1;
  }
  return n === names.length;
}

/** Column `name` of `rows` taken in `order`: float64 numbers (`n`), Dates as epoch ms (`d`), else the values (`v`). */
function encodeColumn(rows: readonly Row[], order: Int32Array, name: string): { kind: 'n' | 'd' | 'v'; values: Float64Array | unknown[] } {
  const count = order.length;
  const first = rows[order[0]!]![name];
  if (typeof first === 'number') {
    const numbers = new Float64Array(count);
    let i = 0;
    for (; i < count; i += 1) {
      const v = rows[order[i]!]![name];
      if (typeof v !== 'number') break;
      numbers[i] = v;
    }
    if (i === count) return { kind: 'n', values: numbers };
  } else if (first instanceof Date) {
    const numbers = new Float64Array(count);
    let i = 0;
    for (; i < count; i += 1) {
      const v = rows[order[i]!]![name];
      if (!(v instanceof Date)) break;
      numbers[i] = v.getTime();
    }
    if (i === count) return { kind: 'd', values: numbers };
  }
  const values = new Array<unknown>(count);
  for (let i = 0; i < count; i += 1) values[i] = rows[order[i]!]![name];
  return { kind: 'v', values };
}

/** A join key value as a key part: windows and other structs by their canonical text. */
function keyPart(v: unknown): KeyPart {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    case 'bigint':
      return Number(v);
    default:
      if (v instanceof Date) return v.getTime();
      if (v instanceof Uint8Array) return v;
      return JSON.stringify(v, (_k, x: unknown) => (x instanceof Date ? x.getTime() : x));
  }
}

/** The index key of `row` on `columns`, or undefined when a key part is null (such a row never matches). */
export function joinKeyOf(row: Row, columns: readonly string[]): JoinKey | undefined {
  if (columns.length === 1) {
    const v = row[columns[0]!];
    if (typeof v === 'number' || (typeof v === 'string' && v.charCodeAt(0) !== 0)) return v;
  }
  const parts: KeyPart[] = new Array<KeyPart>(columns.length);
  for (let i = 0; i < columns.length; i += 1) {
    const p = keyPart(row[columns[i]!]);
    if (p === null) return undefined;
    parts[i] = p;
  }
  if (parts.length === 1 && typeof parts[0] === 'number') return parts[0];
  return `\u0000${toBinaryString(encodeKey(parts))}`;
}

/** A numeric time as the side keeps it: NaN for null (every comparison with it is false, as SQL's with null). */
function timeValue(v: unknown): number {
  return toEpochMs(v) ?? NaN;
}

/** A rough size of a row object held as is (header, a few fields). */
const ROW_BYTES = 64;

/** A value column's bytes: a slot per value, plus strings and objects estimated from a sample of up to 32. */
function valuesBytes(values: readonly unknown[]): number {
  const n = values.length;
  if (n === 0) return 16;
  const step = Math.max(1, Math.floor(n / 32));
  let sampled = 0;
  let extra = 0;
  for (let i = 0; i < n; i += step) {
    const v = values[i];
    extra += typeof v === 'string' ? 16 + 2 * v.length : typeof v === 'object' && v !== null ? ROW_BYTES : 0;
    sampled += 1;
  }
  return 16 + 8 * n + Math.round((extra / sampled) * n);
}

/**
 * The rows one batch stored (one durable block), in stored order (by eviction time, nulls last). Columnar when
 * they share their columns (numbers and Dates as float64 arrays, rows rebuilt on demand: the garbage collector
 * traces none of it), else the row objects. While its batch runs (`pending`), its rows are the batch's row
 * objects in arrival order and the stored order is not known yet.
 */
class Part {
  /** Stored positions before it are evicted. */
  cursor = 0;
  /** Positions marked matched after the block was written (their `['m', id, i]` keys). */
  readonly marks: number[] = [];
  /** Eviction time per stored position (NaN: never); empty while pending. */
  evictAt: Float64Array = new Float64Array(0);
  /** The segment row of each stored position (-1: evicted before the segment was built). */
  slots: Int32Array = new Int32Array(0);
  rows: readonly Row[] | undefined;
  names: readonly string[] = [];
  columns: ReadonlyArray<Float64Array | unknown[]> = [];
  dates: readonly boolean[] = [];

  constructor(
    readonly id: number,
    public pending: boolean,
    rows: readonly Row[] | undefined,
  ) {
    this.rows = rows;
  }

  /** Rows stored. */
  get length(): number {
    return this.evictAt.length;
  }

  /** All stored rows evicted. */
  get dead(): boolean {
    return !this.pending && this.cursor >= this.evictAt.length;
  }

  /** The row at stored position `i` (arrival index while pending); a columnar part rebuilds it (Dates by value). */
  rowAt(i: number): Row {
    if (this.rows !== undefined) return this.rows[i]!;
    const row: Row = {};
    const { names, columns, dates } = this;
    for (let c = 0; c < names.length; c += 1) {
      const v = columns[c]![i];
      row[names[c]!] = dates[c] ? new Date(v as number) : v;
    }
    return row;
  }

  /** Takes the stored form's rows (columns decoded once). */
  setStored(stored: StoredBlock): void {
    if (stored.r !== undefined) {
      this.rows = stored.r;
    } else {
      const kinds = stored.k!;
      this.rows = undefined;
      this.names = stored.c!;
      this.columns = stored.v!.map((values, c) => {
        const kind = kinds[c]!;
        if (kind === 'v') return values as unknown[];
        return kind === 'i' ? int32s(values as Uint8Array) : float64s(values as Uint8Array);
      });
      this.dates = kinds.map((k) => k === 'd');
    }
    this.evictAt = stored.t !== undefined ? float64s(stored.t) : (this.columns[stored.tc!] as Float64Array);
    this.slots = new Int32Array(this.evictAt.length).fill(-1);
  }

  /** Stores the pending rows (`rows` in arrival order) in `order`; returns the stored form. */
  store(rows: readonly Row[], order: Int32Array, evictAt: Float64Array, matched: number[]): StoredBlock {
    this.pending = false;
    this.evictAt = evictAt;
    this.slots = new Int32Array(order.length);
    const names = Object.keys(rows[order[0]!]!);
    let columnar = true;
    for (let i = 0; i < rows.length && columnar; i += 1) columnar = hasColumns(rows[i]!, names);
    if (!columnar) {
      const sorted = Array.from(order, (i) => rows[i]!);
      this.rows = sorted;
      return { r: sorted, t: float64Bytes(evictAt), m: matched };
    }
    const encoded = names.map((name) => encodeColumn(rows, order, name));
    this.rows = undefined;
    this.names = names;
    this.columns = encoded.map((c) => c.values);
    this.dates = encoded.map((c) => c.kind === 'd');
    const kinds: ColumnKind[] = encoded.map((c) => (c.kind === 'n' && allInt32(c.values as Float64Array) ? 'i' : c.kind));
    const tc = encoded.findIndex((c) => c.kind !== 'v' && sameNumbers(c.values as Float64Array, evictAt));
    if (tc >= 0) this.evictAt = encoded[tc]!.values as Float64Array;
    const v = encoded.map((c, i) => {
      if (c.kind === 'v') return c.values as unknown[];
      return kinds[i] === 'i' ? int32Bytes(c.values as Float64Array) : float64Bytes(c.values as Float64Array);
    });
    return tc >= 0 ? { c: names, k: kinds, v, tc, m: matched } : { c: names, k: kinds, v, t: float64Bytes(evictAt), m: matched };
  }

  /** Dropped from the store, rows forgotten. */
  released = false;

  /** An estimate of the block's heap bytes (typed columns exactly, value columns and pending rows estimated). */
  memoryBytes(): number {
    let bytes = 64 + this.evictAt.byteLength + this.slots.byteLength + 8 * this.marks.length;
    for (const column of this.columns) bytes += ArrayBuffer.isView(column) ? column.byteLength : valuesBytes(column);
    if (this.rows !== undefined) bytes += ROW_BYTES * this.rows.length;
    return bytes;
  }

  /** Forgets the rows (the part is dead and dropped). */
  release(): void {
    this.released = true;
    this.rows = [];
    this.columns = [];
    this.slots = new Int32Array(0);
  }
}

/** Row flags of a {@link Segment}: matched at least once, evicted. */
export const MATCHED = 1;
export const GONE = 2;
/** A row with a null key part: in no chain (never matched), kept for the outer row at eviction. */
const KEYLESS = 4;

/**
 * The buffered rows of one or more consecutive blocks with one hash index over them. A row is a small integer
 * (its segment row); per row typed arrays hold its chain link, flags, part, stored position and its times in the
 * side's bound columns (what the range condition reads), so lookups allocate nothing and the garbage collector
 * traces no per-row object.
 *
 * A segment is append-only: eviction flags rows GONE, and a segment is dropped as a whole when all its rows are
 * gone (no per-row index delete); merging two segments copies their live rows into a new one.
 */
export class Segment {
  readonly table: ChainTable;
  /** Segment rows used. */
  size = 0;
  /** Rows not GONE. */
  live = 0;
  next: Int32Array;
  /** At the first row of each key's chain, the chain's last row (see ChainTable). */
  last: Int32Array;
  /** Each row's key when an int32 (see ChainTable). */
  intKeys: Int32Array;
  /** The smallest and largest number key (a lookup of a number outside skips the segment). */
  minKey = Infinity;
  maxKey = -Infinity;
  flags: Uint8Array;
  /** Index in `parts` of each row's part. */
  partOf: Int32Array;
  /** Each row's stored position in its part (arrival index while the part is pending). */
  position: Int32Array;
  /** Per bound column of the side, each row's time (NaN for null). */
  times: Float64Array[];
  readonly parts: Part[] = [];

  constructor(capacity: number, timeColumns: number, expectedKeys: number) {
    const n = Math.max(16, capacity);
    this.table = new ChainTable(expectedKeys);
    this.next = new Int32Array(n);
    this.last = new Int32Array(n);
    this.intKeys = new Int32Array(n);
    this.flags = new Uint8Array(n);
    this.partOf = new Int32Array(n);
    this.position = new Int32Array(n);
    this.times = Array.from({ length: timeColumns }, () => new Float64Array(n));
  }

  /** Appends a row (part index `part`, position `position`); returns its segment row. */
  push(part: number, position: number, flags: number, key: JoinKey | undefined, hash: number, times: readonly Float64Array[], at: number): number {
    if (this.size === this.next.length) this.grow();
    const s = this.size++;
    this.live += 1;
    this.partOf[s] = part;
    this.position[s] = position;
    this.next[s] = -1;
    for (let c = 0; c < this.times.length; c += 1) this.times[c]![s] = times[c]![at]!;
    if (key === undefined) this.flags[s] = flags | KEYLESS;
    else {
      this.flags[s] = flags;
      if (typeof key === 'number' && (key | 0) === key) this.intKeys[s] = key;
      this.table.append(key, hash, s, this.next, this.last, this.intKeys);
      if (typeof key === 'number') {
        if (key < this.minKey) this.minKey = key;
        if (key > this.maxKey) this.maxKey = key;
      }
    }
    return s;
  }

  /** An estimate of the segment's heap bytes: its index, time columns and blocks. */
  memoryBytes(): number {
    let bytes = this.table.memoryBytes();
    for (const a of [this.next, this.last, this.intKeys, this.flags, this.partOf, this.position, ...this.times]) bytes += a.byteLength;
    for (const part of this.parts) bytes += part.memoryBytes();
    return bytes;
  }

  /** The row `s`. */
  row(s: number, pendingRows: readonly Row[]): Row {
    const part = this.parts[this.partOf[s]!]!;
    return part.pending ? pendingRows[this.position[s]!]! : part.rowAt(this.position[s]!);
  }

  private grow(): void {
    const size = this.next.length * 2;
    const int32 = (old: Int32Array): Int32Array<ArrayBuffer> => {
      const a = new Int32Array(size);
      a.set(old);
      return a;
    };
    this.next = int32(this.next);
    this.last = int32(this.last);
    this.intKeys = int32(this.intKeys);
    this.partOf = int32(this.partOf);
    this.position = int32(this.position);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.flags = flags;
    this.times = this.times.map((old) => {
      const a = new Float64Array(size);
      a.set(old);
      return a;
    });
  }
}

/**
 * At most this many segments per side (a lookup probes each): beyond, the two adjacent segments with the fewest
 * live rows merge (size-tiered, so a row is copied O(log rows) times when nothing is ever evicted).
 */
export const MAX_SEGMENTS = 8;

/**
 * One side's buffered rows. Made by {@link loadJoinSide}.
 *
 * The rows are indexed per segment (see {@link Segment}): one per block while there are few, so the batch's
 * rows go into a fresh, small hash table and a block the watermark passed drops with its table, without a
 * delete per row. A lookup visits the segments oldest first, so a key's rows come in buffering order.
 */
export class JoinSideState {
  /** Segments, oldest first; the running batch's (pending) last once it stored a row. */
  readonly segments: Segment[] = [];
  private pending: Segment | undefined;
  private pendingRows: Row[] = [];
  /** Eviction time of each pending row (arrival order). */
  private pendingTimes: Float64Array = new Float64Array(0);
  /** Rows of earlier batches matched in this batch (marked durably at commit when `recordMatches`). */
  private pendingMarks: Array<[Segment, number]> = [];
  /** Restored blocks with no buffered row left (deleted from the store at the next persist). */
  private orphans: Part[] = [];
  /** Rows the running batch is expected to store (sizes its segment). */
  private expected = 0;
  private rows = 0;

  /**
   * @param recordMatches whether a match of an old row must be made durable (an outer side, whose unmatched
   *   rows are emitted at eviction, or the left side of a semi join); inner joins skip those writes.
   * @param timeColumns the side's columns the range condition reads (segments keep their times in this order).
   */
  constructor(
    readonly recordMatches: boolean,
    private threshold: number | null,
    readonly timeColumns: readonly string[] = [],
  ) {}

  /**
   * An estimate of the buffered rows' heap bytes (the memo's, counted in the store's memoryUsedBytes, see
   * StateStore.memo).
   */
  memoryBytes(): number {
    let bytes = this.pendingTimes.byteLength + ROW_BYTES * this.pendingRows.length;
    for (const segment of this.segments) bytes += segment.memoryBytes();
    if (this.pending !== undefined && !this.segments.includes(this.pending)) bytes += this.pending.memoryBytes();
    for (const part of this.orphans) bytes += part.memoryBytes();
    return bytes;
  }

  /** Buffered rows. */
  get size(): number {
    return this.rows;
  }

  /** The row `s` of `segment`. */
  row(segment: Segment, s: number): Row {
    return segment.row(s, this.pendingRows);
  }

  /** Marks row `s` of `segment` matched (durably at commit when `recordMatches` and an earlier batch stored it). */
  markMatched(segment: Segment, s: number): void {
    const f = segment.flags[s]!;
    if ((f & MATCHED) !== 0) return;
    segment.flags[s] = f | MATCHED;
    if (this.recordMatches && segment !== this.pending) this.pendingMarks.push([segment, s]);
  }

  /** Sizes the running batch's segment for `rows` rows (a hint). */
  expect(rows: number): void {
    this.expected = rows;
  }

  /**
   * Buffers `row` (durably at commit, in the batch's block): eviction time `t` (NaN: never), join key `key`
   * (`hash` its hashNumber when a table key), its bound-column times `times[c][at]` (in `timeColumns` order).
   */
  add(row: Row, t: number, matched: boolean, key: JoinKey | undefined, hash: number, times: readonly Float64Array[], at: number, batchId: number): void {
    let segment = this.pending;
    if (segment === undefined) {
      segment = this.pending = new Segment(this.expected, this.timeColumns.length, this.expected);
      segment.parts.push(new Part(batchId, true, undefined));
      this.segments.push(segment);
    }
    const i = this.pendingRows.length;
    segment.push(0, i, matched ? MATCHED : 0, key, hash, times, at);
    this.pendingRows.push(row);
    if (i === this.pendingTimes.length) this.pendingTimes = grown(this.pendingTimes, Math.max(this.expected, 2 * i, 16));
    this.pendingTimes[i] = t;
    this.rows += 1;
  }

  /**
   * Evicts every buffered row with eviction time <= `limit`, calling `onUnmatched` with each one that never
   * matched (outer rows are emitted there); returns how many were evicted.
   */
  evict(limit: number, onUnmatched: ((row: Row) => void) | undefined): number {
    if (this.threshold !== null && limit <= this.threshold) return 0;
    let removed = 0;
    // Rows stored by this batch are not visited: the caller stores only rows above this batch's limit.
    for (const segment of this.segments) {
      if (segment === this.pending) continue;
      const flags = segment.flags;
      let gone = 0;
      for (const part of segment.parts) {
        const { evictAt, slots } = part;
        let i = part.cursor;
        for (; i < evictAt.length; i += 1) {
          if (!(evictAt[i]! <= limit)) break;
          const s = slots[i]!;
          if (s < 0) continue;
          const f = flags[s]!;
          flags[s] = f | GONE;
          if (onUnmatched !== undefined && (f & MATCHED) === 0) onUnmatched(part.rowAt(i));
          gone += 1;
        }
        part.cursor = i;
      }
      segment.live -= gone;
      removed += gone;
    }
    this.rows -= removed;
    this.threshold = limit;
    return removed;
  }

  /** Records this batch's changes in `store`: the new block, marks, dropped blocks and the threshold. */
  persist(store: StateStore, batchId: number): void {
    for (const [segment, s] of this.pendingMarks) {
      if ((segment.flags[s]! & GONE) !== 0) continue; // evicted in this batch: no one reads its mark
      const part = segment.parts[segment.partOf[s]!]!;
      const i = segment.position[s]!;
      part.marks.push(i);
      store.put(encodeKey(['m', part.id, i]), true);
    }
    this.pendingMarks = [];
    const drop = (part: Part): void => {
      store.delete(encodeKey(['b', part.id]));
      for (const i of part.marks) store.delete(encodeKey(['m', part.id, i]));
      part.release();
    };
    for (const segment of this.segments) for (const part of segment.parts) if (part.dead && !part.released) drop(part);
    for (const part of this.orphans) drop(part);
    this.orphans = [];
    if (this.pending !== undefined) {
      store.put(encodeKey(['b', batchId]), storePending(this.pending, this.pendingRows, this.pendingTimes));
      this.pending = undefined;
      this.pendingRows = [];
      this.pendingTimes = new Float64Array(0);
    }
    for (let i = this.segments.length - 1; i >= 0; i -= 1) if (this.segments[i]!.live === 0) this.segments.splice(i, 1);
    this.compact();
    if (this.threshold !== null) store.put(THRESHOLD_KEY, this.threshold);
  }

  /** Rebuild: buffers block `id` as read from the store. */
  restoreBlock(id: number, stored: StoredBlock, marks: ReadonlySet<number>, keyColumns: readonly string[]): void {
    const part = new Part(id, false, undefined);
    part.setStored(stored);
    const { evictAt } = part;
    const segment = new Segment(evictAt.length, this.timeColumns.length, evictAt.length);
    segment.parts.push(part);
    const matched = new Set(stored.m);
    const columnIndex = this.timeColumns.map((name) => part.names.indexOf(name));
    const times = this.timeColumns.map(() => new Float64Array(1));
    let cursor = 0;
    for (let i = 0; i < evictAt.length; i += 1) {
      if (this.threshold !== null && evictAt[i]! <= this.threshold) {
        cursor = i + 1;
        continue;
      }
      const row = part.rowAt(i);
      for (let c = 0; c < times.length; c += 1) {
        const column = part.rows === undefined && columnIndex[c]! >= 0 && part.dates[columnIndex[c]!] ? (part.columns[columnIndex[c]!] as Float64Array) : undefined;
        times[c]![0] = column !== undefined ? column[i]! : timeValue(row[this.timeColumns[c]!]);
      }
      const key = joinKeyOf(row, keyColumns);
      const hash = key !== undefined && isTableKey(key) ? hashNumber(key) : 0;
      part.slots[i] = segment.push(0, i, matched.has(i) || marks.has(i) ? MATCHED : 0, key, hash, times, 0);
      this.rows += 1;
    }
    part.cursor = cursor;
    part.marks.push(...marks);
    if (segment.live > 0) this.segments.push(segment);
    else this.orphans.push(part);
  }

  /** Merges segments while there are more than MAX_SEGMENTS (the pending one aside). */
  compact(): void {
    while (this.segments.length > MAX_SEGMENTS) {
      let best = 0;
      for (let i = 1; i + 1 < this.segments.length; i += 1) {
        if (this.segments[i]!.live + this.segments[i + 1]!.live < this.segments[best]!.live + this.segments[best + 1]!.live) best = i;
      }
      this.segments.splice(best, 2, mergeSegments(this.segments[best]!, this.segments[best + 1]!, this.timeColumns.length));
    }
  }
}

/** One segment with the live rows of `a` then those of `b` (a key's rows keep their order). */
function mergeSegments(a: Segment, b: Segment, timeColumns: number): Segment {
  const merged = new Segment(a.live + b.live, timeColumns, a.table.size + b.table.size);
  for (const from of [a, b]) {
    const partIndex = from.parts.map((part) => (part.dead ? -1 : merged.parts.push(part) - 1));
    const copy = (s: number, key: JoinKey | undefined, hash: number): void => {
      const f = from.flags[s]!;
      if ((f & GONE) !== 0) return;
      const part = from.parts[from.partOf[s]!]!;
      const position = from.position[s]!;
      part.slots[position] = merged.push(partIndex[from.partOf[s]!]!, position, f & MATCHED, key, hash, from.times, s);
    };
    from.table.forEachChain((key, first) => {
      const hash = isTableKey(key) ? hashNumber(key) : 0;
      for (let s = first; s >= 0; s = from.next[s]!) copy(s, key, hash);
    }, from.intKeys);
    for (let s = 0; s < from.size; s += 1) if ((from.flags[s]! & KEYLESS) !== 0) copy(s, undefined, 0);
  }
  return merged;
}

/** `a` copied into a larger array of `size`. */
function grown(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}

/**
 * Stores the rows of the running batch (`rows` in arrival order, their eviction times `times`): sorts them into
 * stored order, makes the pending part a stored one and the segment's rows point at their stored positions;
 * returns the block to write.
 */
function storePending(pending: Segment, rows: readonly Row[], times: Float64Array): StoredBlock {
  const count = rows.length;
  const order = evictionOrder(times, count);
  const evictAt = new Float64Array(count);
  const matched = inStoredOrder(order, times, pending.flags, evictAt);
  const part = pending.parts[0]!;
  const stored = part.store(rows, order, evictAt, matched);
  placeStored(order, part.slots, pending.position);
  return stored;
}

/** Fills `evictAt` with `times` in `order`; returns the stored positions of the rows flagged MATCHED. */
function inStoredOrder(order: Int32Array, times: Float64Array, flags: Uint8Array, evictAt: Float64Array): number[] {
  const matched: number[] = [];
  for (let i = 0; i < order.length; i += 1) {
    const a = order[i]!;
    evictAt[i] = times[a]!;
    if ((flags[a]! & MATCHED) !== 0) matched.push(i);
  }
  return matched;
}

/** The pending segment's row a is arrival a: now at stored position i (with order[i] = a). */
function placeStored(order: Int32Array, slots: Int32Array, position: Int32Array): void {
  for (let i = 0; i < order.length; i += 1) {
    const a = order[i]!;
    slots[i] = a;
    position[a] = i;
  }
}

/** Positions of `times` in stored order: ascending eviction time, NaN (never evicted) last, ties by position. */
function evictionOrder(times: Float64Array, count: number): Int32Array {
  const order = new Int32Array(count);
  let sorted = true;
  for (let i = 0; i < count; i += 1) {
    order[i] = i;
    if (i > 0 && sorted) {
      const a = times[i - 1]!;
      const b = times[i]!;
      // In order when a <= b, or b is NaN (nulls last); out of order when a is NaN before a number, or a > b.
      if (Number.isNaN(a) ? !Number.isNaN(b) : a > b) sorted = false;
    }
  }
  if (sorted) return order;
  const positions = Array.from(order);
  positions.sort((x, y) => {
    const a = times[x]!;
    const b = times[y]!;
    if (a === b) return x - y;
    if (Number.isNaN(a)) return Number.isNaN(b) ? x - y : 1;
    if (Number.isNaN(b)) return -1;
    return a - b;
  });
  return Int32Array.from(positions);
}

/** The side's state from its store: the memo when the store still holds it, else rebuilt from the layout. */
export function loadJoinSide(
  store: StateStore,
  keyColumns: readonly string[],
  recordMatches: boolean,
  timeColumns: readonly string[] = [],
): MaybePromise<JoinSideState> {
  return store.memo(() => {
    const read = all<[unknown, Array<[Uint8Array, unknown]>, Array<[Uint8Array, unknown]>]>([
      store.get(THRESHOLD_KEY),
      store.range({ gte: BLOCK_START, lt: BLOCK_END }),
      store.range({ gte: MARK_START, lt: MARK_END }),
    ]);
    return then(read, ([threshold, blocks, marks]) => {
      const side = new JoinSideState(recordMatches, (threshold as number | undefined) ?? null, timeColumns);
      const marksByBlock = new Map<number, Set<number>>();
      for (const [key] of marks) {
        const [, b, i] = decodeTuple(key);
        let set = marksByBlock.get(b);
        if (set === undefined) marksByBlock.set(b, (set = new Set()));
        set.add(i);
      }
      for (const [key, value] of blocks) {
        const [, id] = decodeTuple(key);
        side.restoreBlock(id, value as StoredBlock, marksByBlock.get(id) ?? new Set(), keyColumns);
      }
      side.compact();
      return side;
    });
  });
}

/** `['b', id]` / `['m', id, i]` as numbers. */
function decodeTuple(key: Uint8Array): [string, number, number] {
  const parts = decodeKey(key);
  return [parts[0] as string, parts[1] as number, (parts[2] as number | undefined) ?? -1];
}
