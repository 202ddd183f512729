/**
 * The user functions of the Spark golden scenarios `sessionization_*`, written for flatMapGroupsWithState: line-by-line
 * ports of `sessionize` and `timeout_probe` in tools/spark-golden/scenarios_dedup.py (which PySpark runs through
 * applyInPandasWithState).
 */
import type { OperatorFunction } from 'rxjs';
import type { MicroBatch, Row } from '../../lib/contracts';
import { flatMapGroupsWithState, GroupStateTimeout, type GroupState } from '../../operators';
import { parseDuration } from '../../lib/groupState/GroupState';
import { groupsWithState } from '../../operators/flatMapGroupsWithState';

/** The output and state schemas of the PySpark version. */
export const SESSIONIZE_OUTPUT = 'word STRING, start TIMESTAMP, end TIMESTAMP, count BIGINT, expired BOOLEAN';
export const SESSIONIZE_STATE = 'count LONG, startMs LONG, endMs LONG';

/** The state: event count, session start and end (ms). */
export type SessionState = [count: number, startMs: number, endMs: number];

export interface SessionRow extends Row {
  word: string;
  start: Date;
  end: Date;
  count: number;
  expired: boolean;
}

/** One session per word, [first event, last event + gap); emitted when its event-time timeout fires. */
export function sessionize(gap: string, outputMode: 'append' | 'update') {
  const gapMs = parseDuration(gap);
  return (key: { word: string }, rows: readonly Row[], state: GroupState<SessionState>): SessionRow[] => {
    const out = (count: number, start: number, end: number, expired: boolean): SessionRow => ({
      word: key.word,
      start: new Date(start),
      end: new Date(end),
      count,
      expired,
    });
    if (state.hasTimedOut) {
      const [count, start, end] = state.get();
      state.remove();
      return [out(count, start, end, true)];
    }
    const times = rows.map((r) => (r.ts as Date).getTime());
    let count = times.length;
    let start = Math.min(...times);
    let end = Math.max(...times) + gapMs;
    if (state.exists) {
      const [c0, s0, e0] = state.get();
      count += c0;
      start = Math.min(start, s0);
      end = Math.max(end, e0);
    }
    state.update([count, start, end]);
    state.setTimeoutTimestamp(end);
    return outputMode === 'update' ? [out(count, start, end, false)] : [];
  };
}

/** The `sessionize` golden stage as an operator. */
export function sessionizeOperator(keys: readonly string[], gap: string, outputMode: 'append' | 'update'): OperatorFunction<MicroBatch<Row>, MicroBatch<SessionRow>> {
  return flatMapGroupsWithState<Row, { word: string }, SessionState, SessionRow>(
    (r) => Object.fromEntries(keys.map((k) => [k, r[k]])) as { word: string },
    outputMode,
    GroupStateTimeout.EventTimeTimeout,
    sessionize(gap, outputMode),
  );
}

/** The output and state schemas of `timeout_probe` (tools/spark-golden/scenarios_dedup.py). */
export const TIMEOUT_PROBE_OUTPUT = 'k INT, exists BOOLEAN, timedOut BOOLEAN';
export const TIMEOUT_PROBE_STATE = 'n INT';

/** Port of `timeout_probe`: per row `mode` set / removeWithTimeout / nothing; one output row per call. */
export function timeoutProbe(key: Row, rows: readonly Row[], state: GroupState<[number]>): Row[] {
  if (rows.length > 0) {
    const mode = rows[0]!.mode;
    const tsMs = (rows[0]!.ts as Date).getTime();
    if (mode === 'set') {
      state.update([1]);
      state.setTimeoutTimestamp(tsMs + 10_000);
    } else if (mode === 'removeWithTimeout') {
      state.remove();
      state.setTimeoutTimestamp(tsMs + 18_000);
    }
  }
  return [{ k: key.k, exists: state.exists, timedOut: state.hasTimedOut }];
}

/** The `timeoutProbe` golden stage as an operator, with PySpark's applyInPandasWithState rules. */
export function timeoutProbeOperator(keys: readonly string[]): OperatorFunction<MicroBatch<Row>, MicroBatch<Row>> {
  return groupsWithState<Row, Row, [number], Row>('applyInPandasWithState', keys, 'append', GroupStateTimeout.EventTimeTimeout, timeoutProbe);
}
