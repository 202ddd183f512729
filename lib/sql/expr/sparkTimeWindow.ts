/**
 * `window(col, windowDuration, slideDuration?, startTime?)` checked as Spark 4's TimeWindow does: the durations are
 * Spark interval strings (CANNOT_PARSE_INTERVAL otherwise), without months, and the window's checks fail with
 * Spark 4.0.1's DATATYPE_MISMATCH messages, which show the durations in microseconds:
 * `Cannot resolve "window(ts, 5000000, 10000000, 0)" due to data type mismatch: The `slide_duration`(10000000L)
 * must be <= the `window_duration`(5000000L).`
 *
 * Invariant: what passes here also passes lib/window's `timeWindowSpec` (whose messages are Spark 3's, kept for the
 * RxJS face), and the spec returned is that function's.
 */
import { ErrorCodes, WeirError } from '../../errors';
import { intervalToDelayMs, parseInterval } from '../../util/interval';
import { timeWindowSpec, type TimeWindowSpec } from '../../window/TimeWindow';
import { ExprErrorCodes, exprError } from './errorCodes';
import type { Expr } from './Expr';
import { prettySql } from './outputName';
import { sparkIntervalString } from './sparkInterval';

function micros(text: string): number {
  const interval = parseInterval(sparkIntervalString(text));
  if (interval.months !== 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Intervals greater than a month is not supported (${text}).`, { context: { value: text } });
  }
  return intervalToDelayMs({ ...interval, micros: 0 }) * 1000 + interval.micros;
}

/** The validated window of `window(column, ...texts)`. */
export function sparkTimeWindowSpec(column: Expr, windowDuration: string, slideDuration?: string, startTime?: string): TimeWindowSpec {
  const windowUs = micros(windowDuration);
  const slideUs = slideDuration === undefined ? windowUs : micros(slideDuration);
  const startUs = startTime === undefined ? 0 : micros(startTime);
  const fail = (subclass: string, detail: string) => {
    const shown = `window(${prettySql(column)}, ${windowUs}, ${slideUs}, ${startUs})`;
    return exprError(
      ExprErrorCodes.DATATYPE_MISMATCH,
      `[DATATYPE_MISMATCH.${subclass}] Cannot resolve "${shown}" due to data type mismatch: ${detail}. SQLSTATE: 42K09`,
      { expression: shown, errorClass: `DATATYPE_MISMATCH.${subclass}` },
    );
  };
  const range = (name: string, value: number) => `The \`${name}\` must be between (0, 9223372036854775807] (current value = ${value}L)`;
  if (windowUs <= 0) throw fail('VALUE_OUT_OF_RANGE', range('window_duration', windowUs));
  if (slideUs <= 0) throw fail('VALUE_OUT_OF_RANGE', range('slide_duration', slideUs));
  if (slideUs > windowUs) {
    throw fail('PARAMETER_CONSTRAINT_VIOLATION', `The \`slide_duration\`(${slideUs}L) must be <= the \`window_duration\`(${windowUs}L)`);
  }
  if (Math.abs(startUs) >= slideUs) {
    throw fail('PARAMETER_CONSTRAINT_VIOLATION', `The \`abs(start_time)\`(${Math.abs(startUs)}L) must be < the \`slide_duration\`(${slideUs}L)`);
  }
  return timeWindowSpec(windowDuration, slideDuration ?? null, startTime ?? null);
}
