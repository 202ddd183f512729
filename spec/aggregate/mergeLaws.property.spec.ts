/**
 * The laws streaming aggregation relies on, for every aggregate function, as fast-check properties:
 * - split invariance: for any split of the input into batches, folding each batch, persisting every buffer
 *   (msgpackr round trip) and merging left to right gives the result of folding everything at once;
 * - associativity of merge, init as its identity, and merge leaving its arguments untouched;
 * - grouped streaming (per-batch partial aggregates merged into a keyed state) equals `aggregateRows`.
 * numRuns comes from WEIR_PROPERTY_RUNS.
 */
import fc from 'fast-check';
import {
  aggregateRows,
  approxCountDistinct,
  avg,
  collectList,
  collectSet,
  count,
  first,
  last,
  max,
  min,
  sum,
  type AggregateFunction,
  type AggregateSpec,
} from '../../lib/aggregate';
import type { Row } from '../../lib/contracts';
import { foldAll, foldChunks, numRuns, roundTrip, splitAt, statePackr, viewPackr } from './support/foldAggregate';

const orNull = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: arb });
const ints = orNull(fc.integer({ min: -1000, max: 1000 }));
const doubles = orNull(fc.double());
const strings = orNull(fc.string({ unit: 'grapheme', maxLength: 4 }));
const dates = orNull(fc.date({ noInvalidDate: true, min: new Date(-1e12), max: new Date(1e12) }));
const smallAny = orNull(
  fc.oneof(
    fc.integer({ min: 0, max: 4 }),
    fc.constantFrom('a', 'b', 'é', '😀'),
    fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(3) }),
    fc.record({ a: fc.integer({ min: 0, max: 2 }) }),
    fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }),
    fc.boolean(),
  ),
);
const hashable = orNull(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.string({ maxLength: 3 }), fc.double(), fc.boolean()));

interface Case {
  readonly label: string;
  readonly make: () => AggregateFunction<any, any, any>;
  readonly values: fc.Arbitrary<unknown>;
}

const cases: Case[] = [
  { label: 'count()', make: () => count(), values: ints },
  { label: 'count(v)', make: () => count('v'), values: smallAny },
  { label: 'sum(v) of integers', make: () => sum('v'), values: ints },
  { label: 'avg(v) of integers', make: () => avg('v'), values: ints },
  { label: 'min(v) of doubles', make: () => min('v'), values: doubles },
  { label: 'max(v) of doubles', make: () => max('v'), values: doubles },
  { label: 'min(v) of strings', make: () => min('v'), values: strings },
  { label: 'max(v) of strings', make: () => max('v'), values: strings },
  { label: 'min(v) of Dates', make: () => min('v'), values: dates },
  { label: 'max(v) of Dates', make: () => max('v'), values: dates },
  { label: 'first(v)', make: () => first('v'), values: smallAny },
  { label: 'first(v, ignoreNulls)', make: () => first('v', true), values: smallAny },
  { label: 'last(v)', make: () => last('v'), values: smallAny },
  { label: 'last(v, ignoreNulls)', make: () => last('v', true), values: smallAny },
  { label: 'collect_list(v)', make: () => collectList('v'), values: smallAny },
  { label: 'collect_set(v)', make: () => collectSet('v'), values: smallAny },
  { label: 'approx_count_distinct(v)', make: () => approxCountDistinct('v'), values: hashable },
  { label: 'approx_count_distinct(v, 0.2)', make: () => approxCountDistinct('v', 0.2), values: hashable },
];

/** Buffers as comparable plain data (register arrays as number arrays, whatever their class after decoding). */
function plain(buf: unknown): unknown {
  const decoded = roundTrip(buf);
  return decoded instanceof Uint8Array ? Array.from(decoded) : decoded;
}

/** The result after persisting the buffer, as the state store would (msgpackr turns -0 into 0). */
const persistedResult = (f: AggregateFunction<any, any, any>, buf: unknown): unknown => f.evaluate(roundTrip(buf));

describe.each(cases)('$label', ({ make, values }) => {
  const list = fc.array(values, { maxLength: 40 });

  it('is split invariant: fold per batch, persist, merge == fold all', () => {
    fc.assert(
      fc.property(list, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (vs, cuts, useViews) => {
        const f = make();
        const chunks = splitAt(vs, cuts);
        const merged = foldChunks(f, chunks, useViews ? viewPackr : statePackr);
        const whole = foldAll(f, vs);
        expect(f.evaluate(merged)).toEqual(persistedResult(f, whole));
        expect(plain(merged)).toEqual(plain(whole));
      }),
      { numRuns },
    );
  });

  it('merges associatively, with init() as identity', () => {
    fc.assert(
      fc.property(list, list, list, (xs, ys, zs) => {
        const f = make();
        const [a, b, c] = [xs, ys, zs].map((vs) => roundTrip(foldAll(f, vs)));
        const left = f.merge(f.merge(a, b), c);
        const right = f.merge(a, f.merge(b, c));
        expect(plain(left)).toEqual(plain(right));
        expect(persistedResult(f, left)).toEqual(persistedResult(f, right));
        expect(plain(f.merge(f.init(), a))).toEqual(plain(a));
        expect(plain(f.merge(a, f.init()))).toEqual(plain(a));
      }),
      { numRuns },
    );
  });

  it('never mutates the buffers it merges', () => {
    fc.assert(
      fc.property(list, list, list, (xs, ys, zs) => {
        const f = make();
        const a = foldAll(f, xs);
        const b = foldAll(f, ys);
        const [aBytes, bBytes] = [statePackr.pack(a), statePackr.pack(b)];
        let merged = f.merge(a, b);
        for (const z of zs) merged = f.update(merged, z); // keep using the result, as an operator does
        f.evaluate(merged);
        expect(statePackr.pack(a)).toEqual(aBytes);
        expect(statePackr.pack(b)).toEqual(bBytes);
      }),
      { numRuns },
    );
  });
});

describe('grouped streaming aggregation', () => {
  const spec = (): AggregateSpec => ({
    n: count(),
    nv: count('v'),
    s: sum('v'),
    a: avg('v'),
    lo: min('v'),
    hi: max('v'),
    f: first('v'),
    fi: first('v', true),
    l: last('v'),
    li: last('v', true),
    list: collectList('v'),
    set: collectSet('v'),
    d: approxCountDistinct('v'),
  });
  const row = fc.record({ k: fc.integer({ min: 0, max: 3 }), v: ints });

  /** What a streaming aggregate operator does: per batch a partial aggregate per key, merged into encoded state. */
  function streamingAggregate(batches: readonly (readonly Row[])[], aggs: AggregateSpec): Row[] {
    const names = Object.keys(aggs);
    const fns = names.map((n) => aggs[n]!);
    const state = new Map<unknown, Uint8Array>();
    for (const batch of batches) {
      const partials = new Map<unknown, unknown[]>();
      for (const r of batch) {
        let bufs = partials.get(r.k);
        if (bufs === undefined) partials.set(r.k, (bufs = fns.map((f) => f.init())));
        fns.forEach((f, i) => (bufs![i] = f.update(bufs![i], f.input(r))));
      }
      for (const [k, bufs] of partials) {
        const previous = state.get(k);
        const old = previous === undefined ? fns.map((f) => f.init()) : (statePackr.unpack(previous) as unknown[]);
        state.set(k, statePackr.pack(fns.map((f, i) => f.merge(old[i], roundTrip(bufs[i])))));
      }
    }
    return [...state].map(([k, bytes]) => {
      const bufs = statePackr.unpack(bytes) as unknown[];
      return Object.fromEntries([['k', k], ...names.map((n, i) => [n, fns[i]!.evaluate(bufs[i])])]);
    });
  }

  it('equals aggregateRows for any split of the rows into batches', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 6 }), (rows, cuts) => {
        const byKey = (a: Row, b: Row): number => (a.k as number) - (b.k as number);
        const streamed = streamingAggregate(splitAt(rows, cuts), spec()).sort(byKey);
        expect(streamed).toEqual(aggregateRows(rows, ['k'], spec()).sort(byKey));
      }),
      { numRuns },
    );
  });
});
