/**
 * Properties of one join side's buffered rows (JoinSideState: per-batch segments with their own hash index,
 * merged beyond MAX_SEGMENTS, rebuilt from the durable blocks) against a plain model, over the memory state store
 * (numRuns from WEIR_PROPERTY_RUNS, default 50):
 * - after any sequence of batches (adds, lookups, matches, evictions by a rising limit), with the memo kept, dropped
 *   by an aborted batch, by a restart (new provider on the same storage) or by a rollback (a committed batch run
 *   again), a lookup returns exactly the buffered rows of the key (SameValueZero: 0 = -0, NaN = NaN; strings apart
 *   from numbers), with their times; eviction removes exactly the rows at or below the limit and reports the
 *   unmatched ones; the row count agrees;
 * - ChainTable keeps each key's rows in append order, across growth, for every kind of key.
 */
import fc from 'fast-check';
import type { Row, StateStore } from '../../lib/contracts';
import { ChainTable, hashNumber, isTableKey } from '../../lib/join/ChainTable';
import { GONE, joinKeyOf, loadJoinSide, MAX_SEGMENTS, type JoinKey, type JoinSideState } from '../../lib/join/JoinSideState';
import { MemoryStateStorage } from '../../lib/state/MemoryStateStorage';
import { MemoryStateStoreProvider } from '../../lib/state/MemoryStateStoreProvider';
import { toEpochMs } from '../../lib/window/TimeWindow';

const numRuns = Number(process.env.WEIR_PROPERTY_RUNS ?? 50);

const KEYS: unknown[] = [0, -0, 1, 7, 1.5, 2 ** 40, -3, NaN, 'a', 'b', '1', null];

interface ModelRow {
  readonly id: number;
  readonly key: JoinKey | undefined;
  readonly t: number;
  matched: boolean;
  gone: boolean;
}

interface BatchSpec {
  /** Rows: key index, time offset above the limit (null: no time, never evicted), an extra column (row form). */
  readonly rows: ReadonlyArray<{ k: number; dt: number | null; extra: boolean }>;
  readonly lookups: readonly number[];
  readonly matchEvery: number;
  readonly limitStep: number;
  /** What happens to the memo before the batch. */
  readonly before: 'keep' | 'abort' | 'restart';
  /** Run the batch again after its commit (rollback: the memo is rebuilt). */
  readonly rerun: boolean;
}

const batchArb: fc.Arbitrary<BatchSpec> = fc.record({
  rows: fc.array(
    fc.record({
      k: fc.nat(KEYS.length - 1),
      dt: fc.option(fc.integer({ min: 1, max: 40 }), { freq: 6 }),
      extra: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
    }),
    { maxLength: 12 },
  ),
  lookups: fc.array(fc.nat(KEYS.length - 1), { maxLength: 6 }),
  matchEvery: fc.integer({ min: 1, max: 3 }),
  limitStep: fc.integer({ min: 0, max: 12 }),
  before: fc.constantFrom<'keep' | 'abort' | 'restart'>('keep', 'keep', 'keep', 'abort', 'restart'),
  rerun: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
});

/**
 * Ids and times of the buffered rows of `key`, as a lookup of the join sees them: segments whose number keys cannot
 * hold the key skipped by their min and max, as SymmetricHashJoin does (so wrong bounds lose rows here).
 */
function lookup(side: JoinSideState, key: JoinKey): Array<{ id: number; time: number; segment: number; s: number }> {
  const hash = isTableKey(key) ? hashNumber(key) : 0;
  const found: Array<{ id: number; time: number; segment: number; s: number }> = [];
  side.segments.forEach((segment, g) => {
    if (typeof key === 'number' && (key < segment.minKey || key > segment.maxKey)) return;
    for (let s = segment.table.first(key, hash, segment.intKeys); s >= 0; s = segment.next[s]!) {
      if ((segment.flags[s]! & GONE) !== 0) continue;
      found.push({ id: side.row(segment, s).id as number, time: segment.times[0]![s]!, segment: g, s });
    }
  });
  return found;
}

function sameKey(a: JoinKey | undefined, b: JoinKey | undefined): boolean {
  return a !== undefined && b !== undefined && (a === b || (a !== a && b !== b));
}

function sorted(ids: readonly number[]): number[] {
  return [...ids].sort((x, y) => x - y);
}

class Run {
  readonly storage = new MemoryStateStorage();
  provider = new MemoryStateStoreProvider({ storage: this.storage });
  model: ModelRow[] = [];
  limit = 1_000;
  nextId = 0;
  batchId = 0;

  async restart(): Promise<void> {
    await this.provider.close();
    this.provider = new MemoryStateStoreProvider({ storage: this.storage });
  }

  side(store: StateStore): JoinSideState {
    return loadJoinSide(store, ['k'], true, ['ts']) as JoinSideState;
  }

  /** A batch that fails: it changes the memo, then aborts (so the memo must be rebuilt). */
  async abortBatch(): Promise<void> {
    const store = this.provider.open('side', this.batchId);
    const side = this.side(store);
    const row: Row = { id: -1, k: 1, ts: new Date(this.limit + 100) };
    side.add(row, this.limit + 100, false, 1, hashNumber(1), [Float64Array.of(this.limit + 100)], 0, this.batchId);
    for (const { segment, s } of lookup(side, 7)) side.markMatched(side.segments[segment]!, s);
    side.evict(this.limit + 5, () => undefined);
    await store.abort();
  }

  async batch(spec: BatchSpec): Promise<void> {
    const store = this.provider.open('side', this.batchId);
    const side = this.side(store);
    expect(side.size).toBe(this.model.filter((m) => !m.gone).length);
    const limit = this.limit + spec.limitStep;
    side.expect(spec.rows.length);
    for (const r of spec.rows) {
      const id = this.nextId++;
      const ts = r.dt === null ? null : new Date(limit + r.dt);
      const row: Row = r.extra ? { id, k: KEYS[r.k], ts, x: 'extra' } : { id, k: KEYS[r.k], ts };
      const key = joinKeyOf(row, ['k']);
      const t = toEpochMs(ts) ?? NaN;
      side.add(row, t, false, key, key !== undefined && isTableKey(key) ? hashNumber(key) : 0, [Float64Array.of(t)], 0, this.batchId);
      this.model.push({ id, key, t, matched: false, gone: false });
    }
    for (const k of spec.lookups) {
      const key = joinKeyOf({ k: KEYS[k] }, ['k']);
      if (key === undefined) continue;
      const found = lookup(side, key);
      const expected = this.model.filter((m) => !m.gone && sameKey(m.key, key));
      expect(sorted(found.map((f) => f.id))).toEqual(sorted(expected.map((m) => m.id)));
      for (const f of found) expect(f.time).toEqual(this.model.find((m) => m.id === f.id)!.t);
      found.forEach((f, i) => {
        if (i % spec.matchEvery !== 0) return;
        side.markMatched(side.segments[f.segment]!, f.s);
        this.model.find((m) => m.id === f.id)!.matched = true;
      });
    }
    // Rows of this batch are above the limit (as the join stores them), so eviction never visits them.
    const unmatched: number[] = [];
    const removed = side.evict(this.limit, (row) => unmatched.push(row.id as number));
    const evicted = this.model.filter((m) => !m.gone && m.t <= this.limit);
    expect(removed).toBe(evicted.length);
    expect(sorted(unmatched)).toEqual(sorted(evicted.filter((m) => !m.matched).map((m) => m.id)));
    for (const m of evicted) m.gone = true;
    side.persist(store, this.batchId);
    await store.commit();
    this.limit = limit;
    expect(side.size).toBe(this.model.filter((m) => !m.gone).length);
    expect(side.segments.length).toBeLessThanOrEqual(MAX_SEGMENTS);
  }

  /** Every key's buffered rows, through a fresh lookup on the memo (or a rebuilt one). */
  async checkAll(): Promise<void> {
    const store = this.provider.open('side', this.batchId);
    const side = this.side(store);
    for (const v of KEYS) {
      const key = joinKeyOf({ k: v }, ['k']);
      if (key === undefined) continue;
      const expected = this.model.filter((m) => !m.gone && sameKey(m.key, key)).map((m) => m.id);
      expect({ key: String(v), ids: sorted(lookup(side, key).map((f) => f.id)) }).toEqual({ key: String(v), ids: sorted(expected) });
    }
    await store.abort();
  }
}

describe('JoinSideState against a model', () => {
  it('buffers, finds, matches and evicts like the model across memo loss (abort, restart, rollback) and merges', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batchArb, { minLength: 1, maxLength: 30 }), async (batches) => {
        const run = new Run();
        for (const spec of batches) {
          if (spec.before === 'abort') await run.abortBatch();
          if (spec.before === 'restart') await run.restart();
          const snapshot = { model: run.model.map((m) => ({ ...m })), limit: run.limit, nextId: run.nextId };
          await run.batch(spec);
          if (spec.rerun) {
            // The committed batch runs again (a re-run after a crash): the store rolls back, the memo is rebuilt.
            run.model = snapshot.model;
            run.limit = snapshot.limit;
            run.nextId = snapshot.nextId;
            await run.batch(spec);
          }
          run.batchId += 1;
        }
        await run.checkAll();
        await run.restart();
        await run.checkAll();
      }),
      { numRuns },
    );
  });

  it('merges segments beyond MAX_SEGMENTS without losing rows or their order per key (no eviction)', async () => {
    const run = new Run();
    for (let b = 0; b < 3 * MAX_SEGMENTS; b += 1) {
      await run.batch({
        rows: [
          { k: b % 3, dt: null, extra: false },
          { k: 8, dt: null, extra: b % 5 === 0 },
          { k: 11, dt: null, extra: false },
        ],
        lookups: [b % 3, 8],
        matchEvery: 2,
        limitStep: 0,
        before: b === MAX_SEGMENTS + 2 ? 'restart' : 'keep',
        rerun: false,
      });
      run.batchId += 1;
    }
    const store = run.provider.open('side', run.batchId);
    const side = run.side(store);
    expect(side.segments.length).toBeLessThanOrEqual(MAX_SEGMENTS);
    // Key 'a' (index 8) got one row per batch: a lookup lists them in buffering order.
    expect(lookup(side, 'a').map((f) => f.id)).toEqual(run.model.filter((m) => m.key === 'a').map((m) => m.id));
    await store.abort();
  });
});

describe('ChainTable', () => {
  it('keeps every key apart (SameValueZero) and its rows in append order, across growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(-0, NaN, 0.5, 2 ** 31, -(2 ** 31), 2 ** 53, 1e-300), fc.constantFrom('a', 'b', '0', '')), {
          maxLength: 300,
        }),
        (keys) => {
          const table = new ChainTable(2);
          const next = new Int32Array(keys.length).fill(-1);
          const last = new Int32Array(keys.length);
          const intKeys = new Int32Array(keys.length);
          keys.forEach((key, row) => {
            if (typeof key === 'number' && (key | 0) === key) intKeys[row] = key;
            table.append(key, isTableKey(key) ? hashNumber(key) : 0, row, next, last, intKeys);
          });
          const distinct: JoinKey[] = [];
          for (const k of keys) if (!distinct.some((d) => sameKey(d, k))) distinct.push(k);
          expect(table.size).toBe(distinct.length);
          for (const key of distinct) {
            const rows: number[] = [];
            for (let s = table.first(key, isTableKey(key) ? hashNumber(key) : 0, intKeys); s >= 0; s = next[s]!) rows.push(s);
            expect(rows).toEqual(keys.flatMap((k, i) => (sameKey(k, key) ? [i] : [])));
          }
          expect(table.first(99, hashNumber(99), intKeys)).toBe(-1);
          expect(table.first('zz', 0, intKeys)).toBe(-1);
          let chains = 0;
          table.forEachChain(() => (chains += 1), intKeys);
          expect(chains).toBe(distinct.length);
        },
      ),
      { numRuns },
    );
  });
});
