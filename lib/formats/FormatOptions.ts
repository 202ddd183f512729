/**
 * The options of a file format, as Spark reads them: string values, case-insensitive keys.
 *
 * Invariant: every option a format reads is read through here, so `option('SEP', ';')` and `option('sep', ';')`
 * are the same option, and a malformed boolean or number is a named INVALID_ARGUMENT, never a silent default.
 */
import { ErrorCodes, WeirError } from '../errors';
import { CaseInsensitiveStringMap } from '../connector/CaseInsensitiveStringMap';

/**
 * Case-insensitive string options (the connectors' one options class) with the getters of Spark's
 * CSVOptions/JSONOptions, whose texts differ from the generic ones.
 */
export class FormatOptions extends CaseInsensitiveStringMap {
  string(key: string, fallback: string): string {
    return this.get(key) ?? fallback;
  }

  /** A boolean option (`true`/`false`, any case). */
  boolean(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    if (v === undefined) return fallback;
    const l = v.trim().toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${key} should be a boolean, but it's ${v}`, { context: { option: key, value: v } });
  }

  /** A non-negative integer option. */
  integer(key: string): number | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    const n = Number(v.trim());
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Invalid value '${v}' for option '${key}', must be a non-negative integer`, {
        context: { option: key, value: v },
      });
    }
    return n;
  }

  /** One character (sep, quote, escape); `\t` and `\u0000` spelled out as in Spark. */
  char(key: string, fallback: string): string {
    const v = this.get(key);
    if (v === undefined) return fallback;
    if (v === '\\t') return '\t';
    if (v === '\\u0000' || v === '') return '\u0000';
    if (v.length !== 1) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `[INVALID_DELIMITER_VALUE] Invalid value for delimiter or character option '${key}': '${v}' (one character expected)`, {
        context: { option: key, value: v },
      });
    }
    return v;
  }
}
