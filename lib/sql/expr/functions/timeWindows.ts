/**
 * Spark's time-window functions: `window(ts, windowDuration[, slideDuration[, startTime]])`, `session_window(ts,
 * gap)` and `window_time(window)`, with the durations they take (interval strings or interval literals).
 *
 * Invariants: `window(...)` evaluates to the window of a row only for tumbling windows; grouping by a sliding
 * window (several windows per row) and by session windows is the planner's job (`findTimeWindows`), so a sliding
 * window evaluated as a value fails; a window is a struct `{start, end}` of `Date`s, `end` exclusive, and
 * `window_time` is its last millisecond; a window's durations are constant and validated at compile time with
 * Spark 4's messages (`../sparkTimeWindow.ts`), a session gap may vary per row (null or non-positive: no window).
 */
import type { Row } from '../../../contracts';
import { exprError } from '../errorCodes';
import { makeNode, unexpectedInput } from '../compiled';
import { prettySql } from '../outputName';
import { isNull, isStruct, isTimestamp, sqlTypes } from '../typeSupport';
import { getOwn, setOwn } from '../values';
import { sparkTimeWindowSpec } from '../sparkTimeWindow';
import { toEpochMs, windowStartsFor } from '../../../window/TimeWindow';
import { intervalToDelayMs, parseInterval } from '../../../util/interval';
import { constantArg } from './arguments';
import { functionTable, scalar, strict, type FunctionTable } from './scalarFunction';

const utc = (ms: number): Date => new Date(ms);

/** The per-row value of a duration argument (`'10 seconds'`, an interval literal) in ms, or null. */
function durationMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return intervalToDelayMs(parseInterval(value));
  if (typeof value === 'object' && value !== null && 'micros' in value) {
    const v = value as { months: number; days: number; micros: number };
    return Math.trunc(v.micros / 1000) + v.days * 86_400_000 + v.months * 31 * 86_400_000;
  }
  if (typeof value === 'number') return value;
  return null;
}

/** The duration text of a constant duration argument (a string, or `<ms> milliseconds` for an interval). */
export function durationText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const ms = durationMs(value);
  return ms === null ? undefined : `${ms} milliseconds`;
}

/** The time-window functions by name. */
export const TIME_WINDOW_FUNCTIONS: FunctionTable = functionTable([
  ['window', {
    kind: 'window',
    minArgs: 2,
    maxArgs: 4,
    compile(call, args) {
      const ts = args[0]!;
      if (!isTimestamp(ts.dataType) && !isStruct(ts.dataType) && !isNull(ts.dataType)) {
        throw unexpectedInput(call, 0, ts, '("TIMESTAMP" or "TIMESTAMP_NTZ")');
      }
      const durations = args.slice(1).map((a, i) => durationText(constantArg(call, i + 1, a, 'duration')));
      const spec = sparkTimeWindowSpec(call.args[0]!, durations[0] ?? '', durations[1], durations[2]);
      const sliding = spec.slideMs !== spec.windowMs;
      const e = ts.run;
      return makeNode(call, sqlTypes.window(), true, (row, ctx) => {
        const t = toEpochMs(e(row, ctx));
        if (t === null) return null;
        if (sliding) {
          throw exprError('INVALID_ARGUMENT', 'A sliding window(...) maps a row to several windows; use it in groupBy (the planner expands it), not as a value.', {
            expression: prettySql(call),
          });
        }
        const start = windowStartsFor(t, spec)[0]!;
        const out: Row = {};
        setOwn(out, 'start', utc(start));
        setOwn(out, 'end', utc(start + spec.windowMs));
        return out;
      }, [ts]);
    },
  }],
  ['session_window', {
    kind: 'window',
    minArgs: 2,
    maxArgs: 2,
    compile(call, args) {
      const ts = args[0]!;
      if (!isTimestamp(ts.dataType) && !isNull(ts.dataType)) throw unexpectedInput(call, 0, ts, '("TIMESTAMP" or "TIMESTAMP_NTZ")');
      const gap = args[1]!;
      const e = ts.run;
      const g = gap.run;
      return makeNode(call, sqlTypes.window(), true, (row, ctx) => {
        const t = toEpochMs(e(row, ctx));
        const gapMs = durationMs(g(row, ctx));
        if (t === null || gapMs === null || gapMs <= 0) return null;
        const out: Row = {};
        setOwn(out, 'start', utc(t));
        setOwn(out, 'end', utc(t + gapMs));
        return out;
      }, [ts, gap]);
    },
  }],
  ['window_time', scalar(1, 1, (call, args) => {
    const w = args[0]!;
    if (!isStruct(w.dataType) || w.dataType.fieldNames().map((n) => n.toLowerCase()).join(',') !== 'start,end') {
      throw unexpectedInput(call, 0, w, '"STRUCT<start: TIMESTAMP, end: TIMESTAMP>"');
    }
    return strict(call, [w], sqlTypes.timestamp(), ([v]) => {
      const end = toEpochMs(getOwn(v, 'end'));
      return end === null ? null : utc(end - 1);
    });
  })],
]);
