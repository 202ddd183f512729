/**
 * One source per query: each started query reads Source objects of its own (Spark's `DataSource.createSource`,
 * called for every query started from a DataFrame), so stopping or failing one query never stops another's.
 *
 * Invariants: `sourceForQuery` is called once per input of each query plan built (each started query, each run
 * of a batch DataFrame); a `SourceProvider` makes a new Source on every call. A MemoryStream is the one object that
 * is both a Source and a provider, as in Spark: the one stream users add data to, read by every query started on it
 * through a reader of its own (its own offsets in its own checkpoint, its own wake-ups).
 */
import type { Row, Source } from '../contracts';

/** Makes the Source of one query run (a DataFrame's streaming relation holds one; so does a MemoryStream). */
export interface SourceProvider<T = Row> {
  /** The description of the sources it makes (shown by `explain()` before any query runs). */
  readonly description: string;
  /** A new Source for one query run: opened by that run only, stopped when it ends. */
  createSource(): Source<T>;
}

/** True for a provider (or a MemoryStream), false for a plain Source. */
export function isSourceProvider<T>(source: Source<T> | SourceProvider<T>): source is SourceProvider<T> {
  return typeof (source as Partial<SourceProvider<T>>).createSource === 'function';
}

/**
 * The Source a new query run reads for `source`: a provider's new one, else `source` itself (a Source object given
 * to `startQuery` belongs to the query it is given to: one running query at a time).
 */
export function sourceForQuery<T>(source: Source<T> | SourceProvider<T>): Source<T> {
  return isSourceProvider(source) ? source.createSource() : source;
}
