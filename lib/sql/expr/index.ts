/**
 * The expression layer of weir's DataFrame face: parsing Spark SQL expression strings, the `Column` API, Spark's
 * output names, and resolution/compilation of expressions against a schema.
 *
 * Invariant: this module re-exports; it adds no behaviour.
 */
export type {
  Expr,
  LiteralExpr,
  IntervalExpr,
  ColumnExpr,
  AliasExpr,
  CastExpr,
  BinaryExpr,
  BinaryOp,
  UnaryExpr,
  IsNullExpr,
  InExpr,
  BetweenExpr,
  LikeExpr,
  CaseWhenExpr,
  CallExpr,
  FieldExpr,
  SubscriptExpr,
  SortOrderExpr,
} from './Expr';
export { childrenOf, collectNodes, fieldRef, quoteIfNeeded, someNode, splitColumnName, transformUp } from './Expr';
export { ExpressionParser, MAX_DEPTH, columnRef, parseExpression, parseExpressionList, parseSortOrder } from './parseExpression';
export { tokenize, type Token, type TokenKind } from './lexer';
export { Column, toExpr, type ColumnOrLiteral, type Literal } from './Column';
export { outputName, prettySql } from './outputName';
export {
  aggregateResult,
  compileExpr,
  extractAggregates,
  findTimeWindow,
  findTimeWindows,
  isAggregate,
  isGenerator,
  projectionSchema,
  toAggregateFunction,
  type AggregateOptions,
  type CompileOptions,
  type CompiledExpr,
  type EvalContext,
  type ExtractedAggregate,
  type TimeWindowRef,
} from './analyze';
export { functionNames, lookupFunction } from './functionRegistry';
export { AGGREGATE_NAMES } from './aggregates';
export { ExprErrorCodes, exprError, type ExprErrorCode } from './errorCodes';
export { literalOf } from './typeSupport';
