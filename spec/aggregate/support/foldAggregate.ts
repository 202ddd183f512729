/**
 * Folding helpers for aggregate-function specs: fold a list, fold chunks and merge them the way streaming
 * aggregation does (every buffer through a msgpackr round trip, as the state store persists it).
 */
import { Packr } from 'msgpackr';
import type { AggregateFunction } from '../../../lib/aggregate';

/** numRuns of the fast-check properties (larger in a scheduled run). */
export const numRuns = Number(process.env.WEIR_PROPERTY_RUNS ?? 50);

/** The state store's codec options (lib/state/valueCodec.ts): decoded binaries are copies. */
export const statePackr = new Packr({ useRecords: false, structuredClone: false, copyBuffers: true });

/** msgpackr's defaults: decoded binaries are views into the encoded bytes. */
export const viewPackr = new Packr();

/** Encodes and decodes `value`. */
export function roundTrip<T>(value: T, packr: Packr = statePackr): T {
  return packr.unpack(packr.pack(value)) as T;
}

/** Folds `values` into a fresh buffer with `update` only. */
export function foldAll<In, Buf, Out>(f: AggregateFunction<In, Buf, Out>, values: readonly In[]): Buf {
  let buf = f.init();
  for (const v of values) buf = f.update(buf, v);
  return buf;
}

/**
 * Streaming-style fold: each chunk (a micro-batch) folded from `init()`, round-tripped, merged into the
 * round-tripped state, and the result round-tripped again.
 */
export function foldChunks<In, Buf, Out>(
  f: AggregateFunction<In, Buf, Out>,
  chunks: readonly (readonly In[])[],
  packr: Packr = statePackr,
): Buf {
  let state = roundTrip(f.init(), packr);
  for (const chunk of chunks) {
    const partial = roundTrip(foldAll(f, chunk), packr);
    state = roundTrip(f.merge(roundTrip(state, packr), partial), packr);
  }
  return state;
}

/** Splits `values` at the given cut positions (taken modulo length + 1; empty chunks allowed). */
export function splitAt<T>(values: readonly T[], cuts: readonly number[]): T[][] {
  const points = [...new Set(cuts.map((c) => c % (values.length + 1)))].sort((a, b) => a - b);
  const chunks: T[][] = [];
  let start = 0;
  for (const p of points) {
    chunks.push(values.slice(start, p));
    start = p;
  }
  chunks.push(values.slice(start));
  // A repeated cut gives an empty chunk, like a batch without rows for the key.
  if (cuts.length > points.length) chunks.push([]);
  return chunks;
}
