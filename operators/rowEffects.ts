/**
 * Phantom markers on operator types: what an operator does to the type of the rows, read by `startQuery`'s
 * compile-time pipeline check (`lib/query/pipelineTypes.ts`).
 *
 * Invariant: types only; no operator has such a property at run time (the key is a `declare`d symbol, which does
 * not exist in the emitted code).
 */
declare const rowEffect: unique symbol;

/** What an operator does to the type of the rows it is given. */
export interface RowEffect<E> {
  readonly [rowEffect]?: E;
}

/** The operator passes on the rows it is given, of the same type (filters, watermarks, groupings, dedup, limits). */
export type PassesRows = RowEffect<'passes rows'>;

/** The operator adds (or replaces) the columns of `C` in the rows it is given (`window`, `withColumn`). */
export type AddsColumns<C> = RowEffect<{ readonly adds: C }>;
