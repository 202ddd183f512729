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
import { CaseInsensitiveMap } from './CaseInsensitiveMap';
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

function toPairs(entries: StringMapInput): Iterable<readonly [string, string]> {
  if (entries instanceof CaseInsensitiveStringMap) return entries.entries();
  if (Symbol.iterator in (entries as object)) return entries as Iterable<readonly [string, string]>;
  return Object.entries(entries as Record<string, string | number | boolean>).map(([k, v]) => [k, String(v)] as const);
}

/** Case-insensitive string options. */
export class CaseInsensitiveStringMap extends CaseInsensitiveMap<string> {
  constructor(entries: StringMapInput = []) {
    super(toPairs(entries));
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
    return new CaseInsensitiveStringMap(this.entries().filter(([k]) => !drop.has(k.toLowerCase())));
  }

  /** A copy with `key` set to `value`. */
  with(key: string, value: string): CaseInsensitiveStringMap {
    return new CaseInsensitiveStringMap([...this.entries(), [key, value]]);
  }

  /** A plain Map with the keys as given, for code that takes Spark's `Map[String, String]`. */
  asMap(): Map<string, string> {
    return new Map(this.entries());
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
