/**
 * Spark's analysis rules for joins over streams (UnsupportedOperationChecker's Join case and
 * StreamingJoinStrategy), as pure functions used at start and again per batch.
 *
 * Invariant: a shape Spark rejects throws WeirError UNSUPPORTED_OPERATION with Spark 4.0.1's message text
 * (checked against a real run); a shape Spark accepts passes.
 */
import type { OutputMode } from '../contracts';
import type { WeirError } from '../errors';
import { hasValidWatermarkForJoin, type JoinCondition, type JoinSidesInfo } from './joinCondition';
import { JoinMessages, type JoinType } from './joinType';
import { analysisError, legacyAnalysisMessage } from '../plan/analysisMessages';

/** UnsupportedOperationChecker's `throwError`: Spark 4's `_LEGACY_ERROR_TEMP_3102` with the text as `msg`. */
function unsupported(message: string, context: Record<string, unknown>): WeirError {
  return analysisError(legacyAnalysisMessage(message), context);
}

const MODE_NAMES: Record<OutputMode, string> = { append: 'Append', update: 'Update', complete: 'Complete' };

/** Checks a stream-stream join. */
export function checkStreamStreamJoin(
  type: JoinType,
  condition: Pick<JoinCondition, 'leftKeys' | 'rightKeys' | 'timeBounds'>,
  info: JoinSidesInfo,
  outputMode: OutputMode,
): void {
  const context = { joinType: type, outputMode };
  if (outputMode !== 'append') throw unsupported(JoinMessages.notAppend(MODE_NAMES[outputMode]), context);
  if (type === 'leftAnti') throw unsupported(JoinMessages.leftAntiStreamingRight, context);
  if (type !== 'inner' && type !== 'cross' && !hasValidWatermarkForJoin(type, condition, info)) {
    throw unsupported(JoinMessages.streamStreamWithoutWatermark(type), context);
  }
  if (condition.leftKeys.length === 0) throw unsupported(JoinMessages.withoutEquality, context);
}

/** Checks a stream-static join; `streamSide` is the side that streams. */
export function checkStreamStaticJoin(type: JoinType, streamSide: 'left' | 'right'): void {
  const context = { joinType: type, streamSide };
  if (streamSide === 'left') {
    if (type === 'fullOuter') throw unsupported(JoinMessages.fullOuterStreamLeftStaticRight, context);
    if (type === 'rightOuter') throw unsupported(JoinMessages.rightOuterStreamLeftStaticRight, context);
    return;
  }
  if (type === 'fullOuter') throw unsupported(JoinMessages.fullOuterStaticLeftStreamRight, context);
  if (type === 'leftAnti') throw unsupported(JoinMessages.leftAntiStreamingRight, context);
  if (type === 'leftOuter' || type === 'leftSemi') throw unsupported(JoinMessages.staticLeftStreamRight(type), context);
}
