/**
 * Keys compared case-insensitively, kept as given: what Spark's `CaseInsensitiveStringMap` does, for values of any
 * type (the RxJS face hands Kafka's options as numbers, booleans and objects, not only strings).
 *
 * Invariants: the last value set under any spelling of a key wins, and the key is then kept in that spelling; no
 * other code lower-cases option keys (CaseInsensitiveStringMap adds Spark's typed getters on top); the value of a
 * secret key (lib/connector/redaction.ts) never appears in `toString()`, `toJSON()` or an inspected value.
 */
import { REDACTED, isSecretKey } from './redaction';

export class CaseInsensitiveMap<V> implements Iterable<[string, V]> {
  /** Every entry with the key as given (insertion order). */
  private readonly original = new Map<string, V>();
  /** Lower-cased key → the key as last given. */
  private readonly keyOf = new Map<string, string>();

  constructor(pairs: Iterable<readonly [string, V]> = []) {
    for (const [k, v] of pairs) {
      const lower = k.toLowerCase();
      const previous = this.keyOf.get(lower);
      if (previous !== undefined && previous !== k) this.original.delete(previous);
      this.original.set(k, v);
      this.keyOf.set(lower, k);
    }
  }

  /** The number of distinct (case-insensitive) keys. */
  get size(): number {
    return this.keyOf.size;
  }

  has(key: string): boolean {
    return this.keyOf.has(key.toLowerCase());
  }

  /** The value of `key` in any case, or undefined. */
  get(key: string): V | undefined {
    const k = this.keyOf.get(key.toLowerCase());
    return k === undefined ? undefined : this.original.get(k);
  }

  /** The keys as given. */
  keys(): string[] {
    return [...this.original.keys()];
  }

  /** The entries with the keys as given. */
  entries(): Array<[string, V]> {
    return [...this.original];
  }

  [Symbol.iterator](): Iterator<[string, V]> {
    return this.entries()[Symbol.iterator]();
  }

  /** The entries for display: keys as given, secret values replaced by `*********(redacted)`. */
  redacted(): Record<string, V | typeof REDACTED> {
    const out: Record<string, V | typeof REDACTED> = {};
    for (const [k, v] of this.original) out[k] = isSecretKey(k) ? REDACTED : v;
    return out;
  }

  toString(): string {
    const shown = Object.entries(this.redacted()).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    return `${this.constructor.name}{${shown.join(', ')}}`;
  }

  toJSON(): Record<string, V | typeof REDACTED> {
    return this.redacted();
  }

  /** What `console.log` and `util.inspect` show (without it they would print the private maps, secrets included). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
