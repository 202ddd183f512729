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
export { compileExpr, projectionSchema, type CompileOptions, type CompiledExpr } from './compile/compileExpr';
export { aggregateResult, toAggregateFunction, type AggregateOptions } from './compile/aggregateCall';
export { extractAggregates, isAggregate, isGenerator, type ExtractedAggregate } from './analyzer/classify';
export { findTimeWindow, findTimeWindows, type TimeWindowRef } from './analyzer/findTimeWindows';
export type { EvalContext } from './compiled';
export { functionNames, lookupFunction } from './functions/registry';
export { AGGREGATE_NAMES } from './functions/aggregates';
export { ExprErrorCodes, exprError, type ExprErrorCode } from './errorCodes';
export { literalOf } from './typeSupport';
