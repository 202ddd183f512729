/**
 * Analysis before start (Spark's UnsupportedOperationChecker) over a whole plan tree: the metadata each operator
 * declares is traced bottom-up, a join node's rules see both sides' traced states, and the query-wide rules
 * (complete mode needs an aggregation, the global-watermark correctness check, the `[flat]MapGroupsWithState`
 * rules) run once over the result. Every shape weir's operators reject so fails at start with Spark's text.
 *
 * Invariants: pure (no I/O, nothing evaluated); the texts come from `analysisMessages.ts`; an operator without a
 * declaration (a user operator, operators composed with rxjs `pipe`) is traced as keeping the metadata and adding
 * no stateful operator, so the checks of declared operators after it still run, except that a check failing on
 * what the undeclared operator may have changed is deferred to the first batch (where the operators run the same
 * rules) and reported as deferred, never dropped silently.
 */
import type { OperatorFunction } from 'rxjs';
import type { OutputMode } from '../contracts';
import { WeirError } from '../errors';
import { COMPLETE_WITHOUT_AGGREGATION, CORRECTNESS_ISSUE, analysisError } from './analysisMessages';
import { checkGroupsWithState, type TracedStep } from './groupsWithStateRules';
import { operatorAnalysis, operatorName, passThrough, type AnalysisState } from './operatorDeclaration';
import type { PlanNode } from './PlanNode';
import { unionStates } from './unionBatches';

/** What analysis found: the traced state at the top, and the checks it had to leave to the first batch. */
export interface PlanAnalysis {
  readonly state: AnalysisState;
  /**
   * One line per check deferred to the first batch: an operator's rule failed on metadata that an undeclared
   * operator below it may have changed (`describeOperator` declares an operator's effect).
   */
  readonly deferred: readonly string[];
}

const EMPTY: AnalysisState = { metadata: {}, aggregations: 0, statefulOperators: 0 };

function isCheckCorrectness(conf: ReadonlyMap<string, string>): boolean {
  return (
    (conf.get('weir.sql.streaming.statefulOperator.checkCorrectness.enabled') ??
      conf.get('spark.sql.streaming.statefulOperator.checkCorrectness.enabled') ??
      'true') !== 'false'
  );
}

/**
 * Checks `node` against `outputMode` and the confs; throws the first rule Spark's checker would (a WeirError
 * UNSUPPORTED_OPERATION or the operator's own code).
 */
export function analyzePlan(node: PlanNode, outputMode: OutputMode, conf: ReadonlyMap<string, string>): PlanAnalysis {
  const steps: TracedStep[] = [];
  const deferred: string[] = [];

  /** Runs a declared rule; below an undeclared operator, a failing rule is deferred instead of trusted. */
  const guarded = (state: AnalysisState, what: string, rule: () => AnalysisState): AnalysisState => {
    if (state.opaque === undefined) return rule();
    try {
      return rule();
    } catch (e) {
      if (!(e instanceof WeirError)) throw e;
      deferred.push(`${what}: ${e.message} (checked with the first batch: ${state.opaque} declares nothing about batch metadata)`);
      return state;
    }
  };

  const tracePipe = (ops: ReadonlyArray<OperatorFunction<any, any>>, start: AnalysisState): AnalysisState => {
    let state = start;
    for (const op of ops) {
      const analyze = operatorAnalysis(op);
      const before = state;
      if (analyze === undefined) {
        state = before.opaque === undefined ? { ...before, opaque: operatorName(op) } : before;
      } else if (analyze === passThrough) {
        state = before;
      } else {
        state = guarded(before, operatorName(op), () => analyze(before, outputMode));
      }
      steps.push({ op, before, after: state });
    }
    return state;
  };

  const trace = (n: PlanNode): AnalysisState => {
    switch (n.kind) {
      case 'source':
        return EMPTY;
      case 'pipe':
        return tracePipe(n.operators, trace(n.child));
      case 'union':
        return unionStates(n.children.map(trace));
      case 'join': {
        const left = trace(n.left);
        const right = trace(n.right);
        const both = unionStates([left, right]);
        return guarded(both, n.join.name, () => {
          const after = n.join.analyze(left, right, outputMode);
          return both.opaque === undefined ? after : { ...after, opaque: both.opaque };
        });
      }
    }
  };

  const state = trace(node);
  const opaque = state.opaque !== undefined;
  // Complete mode needs an aggregation: below an undeclared operator the count is only a lower bound.
  if (outputMode === 'complete' && state.aggregations === 0) {
    if (!opaque) throw analysisError(COMPLETE_WITHOUT_AGGREGATION, { outputMode });
    deferred.push(`complete mode needs a streaming aggregation: not checked, ${state.opaque} declares nothing about batch metadata`);
  }
  const checkCorrectness = isCheckCorrectness(conf);
  checkGroupsWithState(steps, outputMode, checkCorrectness);
  // Lower bounds are enough to fail: undeclared operators can only add stateful operators.
  if (checkCorrectness && outputMode !== 'append' && state.aggregations > 0 && state.statefulOperators > 1) {
    throw analysisError(CORRECTNESS_ISSUE, { outputMode });
  }
  return { state, deferred };
}
