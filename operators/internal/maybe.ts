/**
 * Values that may or may not be promises, for operators: lib/util/maybe's chaining, and `fromMaybe`, an Observable
 * of one such value (synchronous when it is plain).
 */
import { Observable } from 'rxjs';
import type { MaybePromise } from '../../lib/contracts';
import { isPromiseLike } from '../../lib/util/maybe';

export { isPromiseLike, then } from '../../lib/util/maybe';

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
