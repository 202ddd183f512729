/**
 * Collects an Observable's values into an array.
 *
 * Invariant: resolves with every value in emission order once the source completes, rejects on its error;
 * a plain subscriber is used (not `toArray()`) because batches carry up to millions of rows.
 */
import type { Observable } from 'rxjs';

/** All values of `source`, in order. */
export function collectRows<T>(source: Observable<T>): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const out: T[] = [];
    source.subscribe({
      next: (value) => {
        out.push(value);
      },
      error: reject,
      complete: () => resolve(out),
    });
  });
}
