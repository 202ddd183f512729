/**
 * Spark's `timestampFormat` / `dateFormat` options: a subset of Java's DateTimeFormatter patterns, compiled once
 * into a parser and a printer (UTC, weir's session time zone).
 *
 * Invariant: a compiled format parses only strings that match the whole pattern (null otherwise, never a guess),
 * and `parse(format(ms)) === ms` for every instant the pattern's precision can hold.
 */
import { ErrorCodes, WeirError } from '../errors';
import { compilePattern, formatDatetime, parseDatetime } from '../values/datetimePattern';

/** Spark's default for writing timestamps in JSON and CSV. */
export const DEFAULT_TIMESTAMP_WRITE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
/** Spark's default date format. */
export const DEFAULT_DATE_FORMAT = 'yyyy-MM-dd';

/** A compiled pattern. */
export interface TimestampFormat {
  readonly pattern: string;
  /** Epoch ms of `s`, or null when `s` does not match. */
  parse(s: string): number | null;
  /** `ms` printed in UTC. */
  format(ms: number): string;
}

/**
 * Compiles a Java-style pattern (`yyyy-MM-dd HH:mm:ss.SSS`, `'T'` literals, `XXX`/`Z` zones) with the datetime
 * pattern engine of `to_timestamp`/`date_format` (lib/sql/expr/datetime.ts), so files and expressions read and
 * print timestamps the same way.
 *
 * @throws WeirError INVALID_ARGUMENT for a pattern that engine rejects.
 * @example
 * ```ts
 * compileTimestampFormat('dd/MM/yyyy HH:mm').parse('02/01/2024 03:04')  // Date.UTC(2024, 0, 2, 3, 4)
 * ```
 */
export function compileTimestampFormat(pattern: string): TimestampFormat {
  try {
    compilePattern(pattern);
  } catch (cause) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Invalid datetime pattern '${pattern}': ${(cause as Error).message}`, {
      context: { option: 'timestampFormat', value: pattern },
      cause,
    });
  }
  return {
    pattern,
    parse: (s) => parseDatetime(s, pattern),
    format: (ms) => formatDatetime(ms, pattern),
  };
}
