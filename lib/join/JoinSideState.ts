/**
 * The buffered rows of one side of a stream-stream join: an in-memory hash index (the store's memo) over a
 * durable layout of one state entry per batch.
 *
 * Invariants:
 * - Durable layout in the side's StateStore (keys are lib/state/keyEncoding tuples):
 *   `['b', batchId]` holds the rows that batch stored, sorted by eviction time (stable, nulls last), with their
 *   eviction times and which matched already (columnar when the rows share their columns, see StoredBlock); `['m', batchId, i]` marks row `i` of that block matched in a later batch;
 *   `['w']` is the last eviction threshold applied. A row of a block is buffered iff its eviction time is null or
 *   above `['w']`; a block is deleted (with its marks) once none of its rows is buffered. Everything written is a
 *   function of the previous version and the batch's rows, so a re-run batch writes the same state.
 * - The memo holds exactly the buffered rows, indexed by join key; it is rebuilt from the durable layout when the
 *   store has none (restart, rollback, failed batch), see StateStore.memo.
 * - Cost: a batch writes one entry per side plus one mark per newly matched old row of an outer (or semi) side,
 *   and deletes the blocks the watermark has fully passed; rows are encoded once, when stored. Buffered rows are
 *   held in memory (as Spark's HDFS-backed state store does), so the join's state must fit in the heap.
 */
import type { MaybePromise, Row, StateStore } from '../contracts';
import { decodeKey, encodeKey, type KeyPart } from '../state/keyEncoding';
import { toBinaryString } from '../state/binaryString';
import { all, then } from '../util/maybe';

/** One buffered row. */
export interface JoinEntry {
  readonly r: Row;
  /** Eviction time (ms), or null when the row is never evicted. */
  readonly t: number | null;
  /** Matched at least once. */
  m: boolean;
  /** Join key in the index (see {@link JoinKey}); undefined for a row with a null key part (never matched). */
  readonly k: JoinKey | undefined;
  /** The block (batch id) and position that stored it. */
  readonly b: number;
  readonly i: number;
  /** Evicted. */
  gone: boolean;
  /** Its key maps to a KeyList (else to the entry itself). */
  listed: boolean;
}

/**
 * A join key as an index key: the value itself for one number or string column (a string only when it does not
 * start with U+0000), else U+0000 followed by the binary string of the encoded tuple; the two never collide.
 */
export type JoinKey = number | string;

/** Two or more rows of one key (a key with one row maps to its entry: most keys of a join have one row). */
class KeyList {
  evicted = 0;
  constructor(readonly entries: JoinEntry[]) {}
}

interface Block {
  readonly id: number;
  /** Sorted by eviction time, nulls last. */
  readonly entries: JoinEntry[];
  /** Entries before it are evicted. */
  cursor: number;
  /** Positions marked matched after the block was written (their `['m', id, i]` keys). */
  readonly marks: number[];
}

const BLOCK_START = encodeKey(['b']);
const BLOCK_END = encodeKey(['c']);
const MARK_START = encodeKey(['m']);
const MARK_END = encodeKey(['n']);
const THRESHOLD_KEY = encodeKey(['w']);

/**
 * A block as stored. Columnar when every row has the same columns: `c` names, `k` each column's kind (`n` all
 * numbers and `d` all Dates, both as little-endian float64 bytes, `v` any values), `v` the columns. Otherwise `r`
 * the rows themselves. `t` eviction times as float64 bytes (NaN for null), `m` positions matched when written.
 */
interface StoredBlock {
  readonly c?: string[];
  readonly k?: Array<'n' | 'd' | 'v'>;
  readonly v?: Array<Uint8Array | unknown[]>;
  readonly r?: Row[];
  readonly t: Uint8Array;
  readonly m: number[];
}

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** `values` as little-endian float64 bytes. */
function float64Bytes(values: Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (!LITTLE_ENDIAN) for (let i = 0; i < bytes.length; i += 8) bytes.subarray(i, i + 8).reverse();
  return bytes;
}

/** The numbers of {@link float64Bytes} (copied: stored bytes need not be 8-byte aligned). */
function float64s(bytes: Uint8Array): Float64Array {
  const copy = bytes.slice();
  if (!LITTLE_ENDIAN) for (let i = 0; i < copy.length; i += 8) copy.subarray(i, i + 8).reverse();
  return new Float64Array(copy.buffer, 0, copy.length / 8);
}

/** True when `row` has exactly the columns `names`. */
function hasColumns(row: Row, names: readonly string[]): boolean {
  let n = 0;
  for (const _ in row) n += 1;
  if (n !== names.length) return false;
  for (let i = 0; i < names.length; i += 1) if (!(names[i]! in row)) return false;
  return true;
}

function encodeColumn(entries: readonly JoinEntry[], name: string): { kind: 'n' | 'd' | 'v'; values: Uint8Array | unknown[] } {
  const first = entries[0]!.r[name];
  if (typeof first === 'number' || first instanceof Date) {
    const numbers = new Float64Array(entries.length);
    const kind = typeof first === 'number' ? 'n' : 'd';
    let i = 0;
    for (; i < entries.length; i += 1) {
      const v = entries[i]!.r[name];
      if (kind === 'n' ? typeof v !== 'number' : !(v instanceof Date)) break;
      numbers[i] = kind === 'n' ? (v as number) : (v as Date).getTime();
    }
    if (i === entries.length) return { kind, values: float64Bytes(numbers) };
  }
  const values = new Array<unknown>(entries.length);
  for (let i = 0; i < entries.length; i += 1) values[i] = entries[i]!.r[name];
  return { kind: 'v', values };
}

function encodeBlock(entries: readonly JoinEntry[]): StoredBlock {
  const t = new Float64Array(entries.length);
  const m: number[] = [];
  for (let i = 0; i < entries.length; i += 1) {
    const e = entries[i]!;
    t[i] = e.t ?? NaN;
    if (e.m) m.push(i);
  }
  const names = Object.keys(entries[0]!.r);
  if (!entries.every((e) => hasColumns(e.r, names))) return { r: entries.map((e) => e.r), t: float64Bytes(t), m };
  const columns = names.map((name) => encodeColumn(entries, name));
  return { c: names, k: columns.map((c) => c.kind), v: columns.map((c) => c.values), t: float64Bytes(t), m };
}

function decodeRows(block: StoredBlock, count: number): Row[] {
  if (block.r !== undefined) return block.r;
  const names = block.c!;
  const columns = block.v!.map((values, c) => (block.k![c] === 'v' ? (values as unknown[]) : float64s(values as Uint8Array)));
  const dates = block.k!.map((kind) => kind === 'd');
  const rows = new Array<Row>(count);
  for (let i = 0; i < count; i += 1) {
    const row: Row = {};
    for (let c = 0; c < names.length; c += 1) {
      const v = columns[c]![i];
      row[names[c]!] = dates[c] ? new Date(v as number) : v;
    }
    rows[i] = row;
  }
  return rows;
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

function byEvictionTime(a: JoinEntry, b: JoinEntry): number {
  if (a.t === b.t) return 0;
  if (a.t === null) return 1;
  if (b.t === null) return -1;
  return a.t - b.t;
}

/** One side's buffered rows. Made by {@link loadJoinSide}. */
export class JoinSideState {
  /** Index of the buffered rows by join key. */
  private readonly byKey = new Map<JoinKey, JoinEntry | KeyList>();
  /** What candidates() returns for a key with one row (reused: no allocation per lookup). */
  private readonly single: JoinEntry[] = [];
  /** Blocks with buffered rows, by batch id (ascending: insertion order). */
  private readonly blocks = new Map<number, Block>();
  private pending: JoinEntry[] = [];
  private pendingMarks: JoinEntry[] = [];
  private rows = 0;

  /**
   * @param recordMatches whether a match of an old row must be made durable (an outer side, whose unmatched
   *   rows are emitted at eviction, or the left side of a semi join); inner joins skip those writes.
   */
  constructor(
    readonly recordMatches: boolean,
    private threshold: number | null,
  ) {}

  /** Buffered rows. */
  get size(): number {
    return this.rows;
  }

  /** Rows with key `key` in buffering order; skip the ones that are `gone` (evicted). */
  candidates(key: JoinKey): readonly JoinEntry[] | undefined {
    const found = this.byKey.get(key);
    if (found === undefined || found instanceof KeyList) return found?.entries;
    this.single[0] = found;
    return this.single;
  }

  /** Marks `e` matched (durably at commit when `recordMatches`). */
  markMatched(e: JoinEntry, batchId: number): void {
    if (e.m) return;
    e.m = true;
    if (this.recordMatches && e.b !== batchId) this.pendingMarks.push(e);
  }

  /** Buffers `row` as stored by batch `batchId` (durably at commit, in the batch's block). */
  add(row: Row, t: number | null, matched: boolean, key: JoinKey | undefined, batchId: number): void {
    const e: JoinEntry = { r: row, t, m: matched, k: key, b: batchId, i: -1, gone: false, listed: false };
    this.pending.push(e);
    this.rows += 1;
    if (key !== undefined) this.index(e);
  }

  /**
   * Evicts every buffered row with eviction time <= `limit`, calling `onEvict` for each (outer rows are emitted
   * there); returns how many were evicted.
   */
  evict(limit: number, onEvict: (e: JoinEntry) => void): number {
    if (this.threshold !== null && limit <= this.threshold) return 0;
    let removed = 0;
    // Rows stored by this batch are not visited: the caller stores only rows above this batch's limit.
    for (const block of this.blocks.values()) {
      const { entries } = block;
      while (block.cursor < entries.length) {
        const e = entries[block.cursor]!;
        if (e.t === null || e.t > limit) break;
        block.cursor += 1;
        removed += 1;
        this.rows -= 1;
        e.gone = true;
        if (e.k !== undefined) this.unindex(e);
        onEvict(e);
      }
    }
    this.threshold = limit;
    return removed;
  }

  /** Records this batch's changes in `store`: the new block, marks, dropped blocks and the threshold. */
  persist(store: StateStore, batchId: number): void {
    for (const e of this.pendingMarks) {
      const block = this.blocks.get(e.b);
      if (block === undefined) continue; // evicted in this batch, block dropped below
      block.marks.push(e.i);
      store.put(encodeKey(['m', e.b, e.i]), true);
    }
    this.pendingMarks = [];
    for (const [id, block] of this.blocks) {
      if (block.cursor < block.entries.length) continue;
      store.delete(encodeKey(['b', id]));
      for (const i of block.marks) store.delete(encodeKey(['m', id, i]));
      this.blocks.delete(id);
    }
    if (this.pending.length > 0) {
      const entries = this.pending.sort(byEvictionTime);
      for (let i = 0; i < entries.length; i += 1) (entries[i] as { i: number }).i = i;
      store.put(encodeKey(['b', batchId]), encodeBlock(entries));
      this.blocks.set(batchId, { id: batchId, entries, cursor: 0, marks: [] });
      this.pending = [];
    }
    if (this.threshold !== null) store.put(THRESHOLD_KEY, this.threshold);
  }

  /** Rebuild: buffers block `id` as read from the store. */
  restoreBlock(id: number, block: StoredBlock, marks: ReadonlySet<number>, keyColumns: readonly string[]): void {
    const times = float64s(block.t);
    const rows = decodeRows(block, times.length);
    const matched = new Set(block.m);
    const entries = new Array<JoinEntry>(rows.length);
    let cursor = 0;
    for (let i = 0; i < rows.length; i += 1) {
      const r = rows[i]!;
      const t = Number.isNaN(times[i]!) ? null : times[i]!;
      const m = matched.has(i);
      const gone = t !== null && this.threshold !== null && t <= this.threshold;
      const e: JoinEntry = { r, t, m: m || marks.has(i), k: gone ? undefined : joinKeyOf(r, keyColumns), b: id, i, gone, listed: false };
      entries[i] = e;
      if (gone) {
        cursor = i + 1;
        continue;
      }
      this.rows += 1;
      if (e.k !== undefined) this.index(e);
    }
    this.blocks.set(id, { id, entries, cursor, marks: [...marks] });
  }

  private index(e: JoinEntry): void {
    const found = this.byKey.get(e.k!);
    if (found === undefined) this.byKey.set(e.k!, e);
    else if (found instanceof KeyList) {
      e.listed = true;
      found.entries.push(e);
    } else {
      found.listed = true;
      e.listed = true;
      this.byKey.set(e.k!, new KeyList([found, e]));
    }
  }

  private unindex(e: JoinEntry): void {
    if (!e.listed) {
      this.byKey.delete(e.k!); // one probe: the key maps to this entry alone
      return;
    }
    const found = this.byKey.get(e.k!) as KeyList;
    found.evicted += 1;
    if (found.evicted === found.entries.length) this.byKey.delete(e.k!);
    // Compact when most are gone (amortized O(1) per eviction).
    else if (found.evicted * 2 > found.entries.length) this.byKey.set(e.k!, new KeyList(found.entries.filter((x) => !x.gone)));
  }
}

/** The side's state from its store: the memo when the store still holds it, else rebuilt from the layout. */
export function loadJoinSide(store: StateStore, keyColumns: readonly string[], recordMatches: boolean): MaybePromise<JoinSideState> {
  return store.memo(() => {
    const read = all<[unknown, Array<[Uint8Array, unknown]>, Array<[Uint8Array, unknown]>]>([
      store.get(THRESHOLD_KEY),
      store.range({ gte: BLOCK_START, lt: BLOCK_END }),
      store.range({ gte: MARK_START, lt: MARK_END }),
    ]);
    return then(read, ([threshold, blocks, marks]) => {
      const side = new JoinSideState(recordMatches, (threshold as number | undefined) ?? null);
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
      return side;
    });
  });
}

/** `['b', id]` / `['m', id, i]` as numbers. */
function decodeTuple(key: Uint8Array): [string, number, number] {
  const parts = decodeKey(key);
  return [parts[0] as string, parts[1] as number, (parts[2] as number | undefined) ?? -1];
}
