/**
 * The time windows of an expression: each `window(...)` and `session_window(...)` call with its column and its
 * durations, which the planner turns into Spark's time-window grouping (tumbling, sliding, session).
 *
 * Invariants: a window's durations are constant (interval strings or interval literals; NON_FOLDABLE_INPUT
 * otherwise) and validated with Spark 4's checks and messages (`../sparkTimeWindow.ts`) when found, so a bad window
 * fails at analysis; a session gap is either constant (a string) or a per-row expression; calls come in pre-order.
 */
import { collectNodes, type CallExpr, type Expr } from '../Expr';
import { mismatch } from '../compiled';
import { prettySql } from '../outputName';
import { sparkTimeWindowSpec } from '../sparkTimeWindow';
import { wrongArgs } from '../functions/registry';
import { durationText } from '../functions/timeWindows';
import type { TimeWindowSpec } from '../../../window/TimeWindow';

/** A time window found in an expression (a `window(...)` or `session_window(...)` call). */
export interface TimeWindowRef {
  readonly kind: 'window' | 'session_window';
  /** The call node itself. */
  readonly call: CallExpr;
  /** The time column (or window struct) argument. */
  readonly column: Expr;
  /** window: the durations as interval strings (`'10 seconds'`; an interval literal becomes `'<ms> milliseconds'`). */
  readonly duration?: string;
  readonly slide?: string;
  readonly startTime?: string;
  /** window: the validated spec in milliseconds (Spark's checks and messages). */
  readonly spec?: TimeWindowSpec;
  /** session_window: the gap as a string when constant, else the per-row gap expression. */
  readonly gap?: string | Expr;
}

/**
 * The first time window of `expr` (see `findTimeWindows`), or undefined.
 *
 * @example
 * ```ts
 * findTimeWindow(parseExpression("window(ts, '10 seconds')"))?.spec; // { windowMs: 10000, slideMs: 10000, startMs: 0 }
 * ```
 */
export function findTimeWindow(expr: Expr): TimeWindowRef | undefined {
  return findTimeWindows(expr)[0];
}

/** Every `window(...)` / `session_window(...)` call of `expr`, in pre-order (the planner rejects more than one). */
export function findTimeWindows(expr: Expr): TimeWindowRef[] {
  return collectNodes(expr, (e) => e.kind === 'call' && (e.name === 'window' || e.name === 'session_window')).map((e) => {
    const call = e as CallExpr;
    const constText = (a: Expr | undefined): string | undefined => {
      if (a === undefined) return undefined;
      if (a.kind === 'literal') return durationText(a.value);
      if (a.kind === 'interval') return durationText(a);
      return undefined;
    };
    if (call.name === 'window') {
      if (call.args.length < 2 || call.args.length > 4) throw wrongArgs('window', call.args.length, 2, 4);
      const texts = call.args.slice(1).map((a, i) => {
        const t = constText(a);
        if (t === undefined) {
          throw mismatch(call, 'NON_FOLDABLE_INPUT', `the input ${['windowDuration', 'slideDuration', 'startTime'][i]} should be a foldable "STRING" expression; however, got "${prettySql(a)}"`);
        }
        return t;
      });
      const spec = sparkTimeWindowSpec(call.args[0]!, texts[0]!, texts[1], texts[2]);
      return {
        kind: 'window' as const,
        call,
        column: call.args[0]!,
        duration: texts[0]!,
        ...(texts[1] === undefined ? {} : { slide: texts[1] }),
        ...(texts[2] === undefined ? {} : { startTime: texts[2] }),
        spec,
      };
    }
    if (call.args.length !== 2) throw wrongArgs('session_window', call.args.length, 2, 2);
    const gapText = constText(call.args[1]);
    return { kind: 'session_window' as const, call, column: call.args[0]!, gap: gapText ?? call.args[1]! };
  });
}
