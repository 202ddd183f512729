/**
 * `describeOperator` and its helpers, as `weir-streams/operators` exports them: their one definition is the plan
 * layer's (`lib/plan/operatorDeclaration.ts`), which the start-time analysis reads.
 */
export {
  describeOperator,
  operatorAnalysis,
  operatorName,
  passThrough,
  type AnalysisState,
  type AnalyzeFunction,
} from '../lib/plan/operatorDeclaration';
