/**
 * Chaining values that may or may not be promises, so an operator runs synchronously on a synchronous state
 * store (virtual-time tests) and asynchronously on LevelDB, with one code path.
 *
 * Invariant: `then(x, f)` calls `f` synchronously when `x` is not a promise-like, and after it resolves
 * otherwise; errors propagate as throws or rejections respectively.
 */
import { Observable } from 'rxjs';
import type { MaybePromise } from '../../lib/contracts';

export function isPromiseLike<T>(x: MaybePromise<T>): x is Promise<T> {
  return typeof (x as { then?: unknown } | null)?.then === 'function';
}

/** `f(x)` now or after `x` resolves. */
export function then<A, B>(x: MaybePromise<A>, f: (a: A) => MaybePromise<B>): MaybePromise<B> {
  return isPromiseLike(x) ? x.then(f) : f(x);
}

/** An Observable of one value: synchronous when `x` is a plain value. */
export function fromMaybe<T>(make: () => MaybePromise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let x: MaybePromise<T>;
    try {
      x = make();
    } catch (e) {
      subscriber.error(e);
      return;
    }
    if (isPromiseLike(x)) {
      x.then(
        (v) => {
          subscriber.next(v);
          subscriber.complete();
        },
        (e: unknown) => subscriber.error(e),
      );
    } else {
      subscriber.next(x);
      subscriber.complete();
    }
  });
}
