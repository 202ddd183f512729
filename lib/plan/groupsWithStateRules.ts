/**
 * Spark's UnsupportedOperationChecker rules for `[flat]MapGroupsWithState`, over a whole traced pipeline.
 *
 * Invariant: pure: the rules read the operators' declarations (attached by the operators, see
 * {@link declareGroupsWithState}) and the analysis state before and after each operator; they throw Spark's
 * AnalysisException text as a WeirError UNSUPPORTED_OPERATION, in the order Spark checks them.
 */
import type { OperatorFunction } from 'rxjs';
import type { OutputMode } from '../contracts';
import type { WeirError } from '../errors';
import type { AnalysisState } from './operatorDeclaration';
import { CORRECTNESS_ISSUE, EVENT_TIME_TIMEOUT_WITHOUT_WATERMARK, analysisError, legacyAnalysisMessage, type AnalysisMessage } from './analysisMessages';

const DECLARATION = Symbol.for('weir.groupsWithState');

/** What a `[flat]MapGroupsWithState` operator declares for the query-wide checks. */
export interface GroupsWithStateDeclaration {
  readonly isMapGroupsWithState: boolean;
  /** The operator's own output mode (Spark's `outputMode` argument of flatMapGroupsWithState). */
  readonly outputMode: 'append' | 'update';
  /** Spark's GroupStateTimeout (`'NoTimeout' | 'ProcessingTimeTimeout' | 'EventTimeTimeout'`). */
  readonly timeout: 'NoTimeout' | 'ProcessingTimeTimeout' | 'EventTimeTimeout';
}

/** Attaches `declaration` to `op` (non-enumerable), returning `op`. */
export function declareGroupsWithState<A, B>(op: OperatorFunction<A, B>, declaration: GroupsWithStateDeclaration): OperatorFunction<A, B> {
  Object.defineProperty(op, DECLARATION, { value: declaration, enumerable: false });
  return op;
}

/** The declaration of `op`, if it is a `[flat]MapGroupsWithState`. */
export function groupsWithStateDeclaration(op: OperatorFunction<any, any>): GroupsWithStateDeclaration | undefined {
  return (op as unknown as Record<symbol, GroupsWithStateDeclaration | undefined>)[DECLARATION];
}

/** Spark's `$outputMode` in messages: `Append`, `Update`, `Complete`. */
export function modeName(mode: OutputMode): string {
  return mode.charAt(0).toUpperCase() + mode.slice(1);
}

export { EVENT_TIME_TIMEOUT_WITHOUT_WATERMARK };

/** UnsupportedOperationChecker's `throwError`: a text is Spark 4's `_LEGACY_ERROR_TEMP_3102`. */
function unsupported(message: string | AnalysisMessage, outputMode: OutputMode): WeirError {
  return analysisError(typeof message === 'string' ? legacyAnalysisMessage(message) : message, { outputMode });
}

/** One traced operator: the analysis state before and after it. */
export interface TracedStep {
  readonly op: OperatorFunction<any, any>;
  readonly before: AnalysisState;
  readonly after: AnalysisState;
}

/**
 * Spark's rules for `[flat]MapGroupsWithState` in a query with output mode `outputMode`: how many there may be,
 * output modes with and without aggregations, and (when `checkCorrectness`) no stateful operator after one with
 * an event-time timeout (it may emit rows older than the watermark).
 */
export function checkGroupsWithState(steps: readonly TracedStep[], outputMode: OutputMode, checkCorrectness: boolean): void {
  const found = steps.flatMap((s, i) => {
    const d = groupsWithStateDeclaration(s.op);
    return d === undefined ? [] : [{ d, step: s, index: i }];
  });
  if (found.length === 0) return;
  const maps = found.filter((f) => f.d.isMapGroupsWithState);
  const flatMaps = found.filter((f) => !f.d.isMapGroupsWithState);
  if (maps.length >= 2) {
    throw unsupported('Multiple mapGroupsWithStates are not supported on a streaming DataFrames/Datasets', outputMode);
  }
  if (maps.length > 0 && flatMaps.length > 0) {
    throw unsupported(
      'Mixing mapGroupsWithStates and flatMapGroupsWithStates are not supported on a streaming DataFrames/Datasets',
      outputMode,
    );
  }
  if (flatMaps.length >= 2 && (outputMode !== 'append' || flatMaps.some((f) => f.d.outputMode !== 'append'))) {
    throw unsupported(
      'Multiple flatMapGroupsWithStates are not supported when they are not all in append mode or the output mode is not append on a streaming DataFrames/Datasets',
      outputMode,
    );
  }
  const aggsInQuery = steps.some((s) => s.after.aggregations > s.before.aggregations);
  const mode = modeName(outputMode);
  for (const { d, step } of found) {
    if (d.isMapGroupsWithState) {
      if (aggsInQuery) throw unsupported('mapGroupsWithState is not supported with aggregation on a streaming DataFrame/Dataset', outputMode);
      if (outputMode !== 'update') {
        throw unsupported(`mapGroupsWithState is not supported with ${mode} output mode on a streaming DataFrame/Dataset`, outputMode);
      }
    } else if (!aggsInQuery) {
      if (d.outputMode !== outputMode) {
        throw unsupported(
          `flatMapGroupsWithState in ${d.outputMode} mode is not supported with ${mode} output mode on a streaming DataFrame/Dataset`,
          outputMode,
        );
      }
    } else if (d.outputMode === 'update') {
      throw unsupported('flatMapGroupsWithState in update mode is not supported with aggregation on a streaming DataFrame/Dataset', outputMode);
    } else if (step.before.aggregations > 0) {
      throw unsupported('flatMapGroupsWithState in append mode is not supported after aggregation on a streaming DataFrame/Dataset', outputMode);
    }
  }
  if (!checkCorrectness) return;
  for (const { d, index } of found) {
    if (d.timeout !== 'EventTimeTimeout') continue;
    const later = steps.slice(index + 1);
    if (later.some((s) => s.after.statefulOperators > s.before.statefulOperators || groupsWithStateDeclaration(s.op))) {
      throw unsupported(CORRECTNESS_ISSUE, outputMode);
    }
  }
}
