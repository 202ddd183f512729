/**
 * Spark's `CaseInsensitiveStringMap`: the options a reader or writer hands a connector (`option("maxFilesPerTrigger",
 * "1")` and `option("MAXFILESPERTRIGGER", "1")` are one option), with Spark's typed getters.
 *
 * Invariants: keys are compared case-insensitively (the last value set under any spelling wins, as in Spark); the
 * keys as the user wrote them are kept for display and for connectors whose own settings are case-sensitive
 * (`kafka.*`); a malformed boolean or number is an `INVALID_ARGUMENT` with Spark's text, never a silent default;
 * the value of a secret option (lib/connector/redaction.ts) never appears in `toString()`, `toJSON()`, an
 * inspected value or an error.
 */
import { ErrorCodes, WeirError } from '../errors';
import { REDACTED, isSecretKey } from './redaction';

/** What options can be made from: pairs, a map, or a plain object (values converted with `String`). */
export type StringMapInput =
  | Iterable<readonly [string, string]>
  | Readonly<Record<string, string | number | boolean>>
  | CaseInsensitiveStringMap;

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
/** Java's `Integer.parseInt`/`Long.parseLong` syntax: an optional sign, then decimal digits only. */
const JAVA_INTEGER = /^[+-]?\d+$/;
/** Java's `Double.parseDouble` decimal syntax (surrounding whitespace allowed, `f`/`d` suffix allowed). */
const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$/;

/** Case-insensitive string options. */
export class CaseInsensitiveStringMap implements Iterable<[string, string]> {
  /** Every entry with the key as given (insertion order). */
  private readonly original = new Map<string, string>();
  /** Lower-cased key → the key as last given. */
  private readonly keyOf = new Map<string, string>();

  constructor(entries: StringMapInput = []) {
    const pairs: Iterable<readonly [string, string]> =
      entries instanceof CaseInsensitiveStringMap
        ? entries.entries()
        : Symbol.iterator in (entries as object)
          ? (entries as Iterable<readonly [string, string]>)
          : Object.entries(entries as Record<string, string | number | boolean>).map(([k, v]) => [k, String(v)] as const);
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
  get(key: string): string | undefined {
    const k = this.keyOf.get(key.toLowerCase());
    return k === undefined ? undefined : this.original.get(k);
  }

  /** The value of `key`, or `defaultValue`. */
  getString(key: string, defaultValue: string): string {
    return this.get(key) ?? defaultValue;
  }

  /**
   * `true`/`false` in any case (Spark's `getBoolean`).
   *
   * @throws WeirError INVALID_ARGUMENT `<value> is not a boolean string.`
   */
  getBoolean(key: string, defaultValue: boolean): boolean {
    const v = this.get(key);
    if (v === undefined) return defaultValue;
    const l = v.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
    throw this.invalid(key, v, `${this.shown(key, v)} is not a boolean string.`);
  }

  /**
   * A 32-bit integer (Java's `Integer.parseInt`, as Spark's `getInt`).
   *
   * @throws WeirError INVALID_ARGUMENT `For input string: "<value>"`.
   */
  getInt(key: string, defaultValue: number): number {
    const v = this.get(key);
    if (v === undefined) return defaultValue;
    const n = JAVA_INTEGER.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < INT_MIN || n > INT_MAX) throw this.numberFormat(key, v);
    return n;
  }

  /**
   * A 64-bit integer (Java's `Long.parseLong`); weir's numbers hold integers up to 2^53 exactly, so a larger value
   * is refused rather than rounded.
   *
   * @throws WeirError INVALID_ARGUMENT `For input string: "<value>"`.
   */
  getLong(key: string, defaultValue: number): number {
    const v = this.get(key);
    if (v === undefined) return defaultValue;
    const n = JAVA_INTEGER.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) throw this.numberFormat(key, v);
    return n;
  }

  /**
   * A double (Java's `Double.parseDouble`: surrounding whitespace, `NaN`, `Infinity` and a `d`/`f` suffix accepted).
   *
   * @throws WeirError INVALID_ARGUMENT `For input string: "<value>"` (`empty String` for a blank value).
   */
  getDouble(key: string, defaultValue: number): number {
    const v = this.get(key);
    if (v === undefined) return defaultValue;
    const t = v.trim();
    if (t === '') throw this.invalid(key, v, 'empty String');
    if (!JAVA_DOUBLE.test(t)) throw this.numberFormat(key, v);
    return Number(t.replace(/[fFdD]$/, ''));
  }

  /** The options without `keys` (any case): e.g. a file format's options without the source's own. */
  without(...keys: string[]): CaseInsensitiveStringMap {
    const drop = new Set(keys.map((k) => k.toLowerCase()));
    return new CaseInsensitiveStringMap([...this.original].filter(([k]) => !drop.has(k.toLowerCase())));
  }

  /** A copy with `key` set to `value`. */
  with(key: string, value: string): CaseInsensitiveStringMap {
    return new CaseInsensitiveStringMap([...this.original, [key, value]]);
  }

  /** The keys as given. */
  keys(): string[] {
    return [...this.original.keys()];
  }

  /** The entries with the keys as given (secrets included: for the connector, never for display). */
  entries(): Array<[string, string]> {
    return [...this.original];
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.entries()[Symbol.iterator]();
  }

  /** A plain Map with the keys as given, for code that takes Spark's `Map[String, String]`. */
  asMap(): Map<string, string> {
    return new Map(this.original);
  }

  /** The options for display: keys as given, secret values replaced by `*********(redacted)`. */
  redacted(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.original) out[k] = isSecretKey(k) ? REDACTED : v;
    return out;
  }

  toString(): string {
    return `CaseInsensitiveStringMap{${Object.entries(this.redacted()).map(([k, v]) => `${k}=${v}`).join(', ')}}`;
  }

  toJSON(): Record<string, string> {
    return this.redacted();
  }

  /** What `console.log` and `util.inspect` show (without it they would print the private map, secrets included). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  private shown(key: string, value: string): string {
    return isSecretKey(key) ? REDACTED : value;
  }

  private numberFormat(key: string, value: string): WeirError {
    return this.invalid(key, value, `For input string: "${this.shown(key, value)}"`);
  }

  private invalid(key: string, value: string, message: string): WeirError {
    return new WeirError(ErrorCodes.INVALID_ARGUMENT, message, { context: { option: key, value: this.shown(key, value) } });
  }
}
