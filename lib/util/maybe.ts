/**
 * Chaining values that may or may not be promises, so an operator runs synchronously on a synchronous state
 * store (virtual-time tests) and asynchronously on LevelDB, with one code path.
 *
 * Invariant: `then(x, f)` calls `f` synchronously when `x` is not a promise-like, and after it resolves
 * otherwise; errors propagate as throws or rejections respectively. `all` is plain when every value is.
 */
import type { MaybePromise } from '../contracts';

export function isPromiseLike<T>(x: MaybePromise<T>): x is Promise<T> {
  return typeof (x as { then?: unknown } | null)?.then === 'function';
}

/** `f(x)` now or after `x` resolves. */
export function then<A, B>(x: MaybePromise<A>, f: (a: A) => MaybePromise<B>): MaybePromise<B> {
  return isPromiseLike(x) ? x.then(f) : f(x);
}

/** The values of `xs`: an array now when none is a promise, else a Promise of it. */
export function all<T extends readonly unknown[]>(xs: { [K in keyof T]: MaybePromise<T[K]> }): MaybePromise<T> {
  return xs.some((x) => isPromiseLike(x)) ? (Promise.all(xs) as Promise<T>) : (xs as unknown as T);
}
