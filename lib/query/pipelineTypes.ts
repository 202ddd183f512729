/**
 * Row types through the array form of `startQuery({ pipeline: [...] })`, checked at compile time (rxjs's `pipe`
 * overloads do the same for separate arguments).
 *
 * Invariant: types only; nothing here exists at run time. A pipeline given as a tuple (an array literal, or an
 * `as const` array) is checked operator by operator: each operator must accept the rows the one before it
 * produces (the first one the source's rows), and the sink must accept what the last one produces. An array
 * whose length is not known to the compiler (built at run time, as the DataFrame planner's) is not checked.
 *
 * Limits. TypeScript infers the elements of an array literal before it checks them, so an operator's own type
 * parameters are not inferred from the operator before it: a row function without annotation in an array sees
 * `r: unknown`, as before this check (the one-operator form, `pipeline: rows(map((r) => ...))`, types `r` by the
 * source's rows). What is checked is the types the operators end up with: an annotated row function
 * (`rows(map((r: { n: number }) => ...))`), an operator with fixed row types, and weir's operators, which declare
 * their effect on the row type (`operators/rowEffects.ts`) so that the type of the rows survives them even when
 * their own type parameter is `Row`. Rows typed `Row` (an untyped source, the output of `count()` / `agg()`,
 * whose columns depend on the grouping) are `any` here: nothing after them is checked. `inputs` (several
 * sources) are not typed: the pipeline after their union starts from `any`.
 */
import type { OperatorFunction } from 'rxjs';
import type { MicroBatch, Row, Sink } from '../contracts';
import type { RowEffect } from '../../operators/rowEffects';

export type { AddsColumns, PassesRows, RowEffect } from '../../operators/rowEffects';

/** Any operator of a pipeline. */
export type PipelineOperator = OperatorFunction<any, any>;

/** What `startQuery`'s `pipeline` may be: one operator, or an array of them. */
export type Pipeline = PipelineOperator | ReadonlyArray<PipelineOperator>;

type IsAny<T> = 0 extends 1 & T ? true : false;
type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Flattens an intersection for readable messages. */
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** `Row` (`Record<string, unknown>`) says nothing about the columns: it is taken as `any`, as an untyped row. */
export type KnownRows<R> = IsAny<R> extends true ? any : SameType<R, Row> extends true ? any : R;

/** The rows of a batch type (`any` when it is no MicroBatch type, or a batch of `Row`). */
type RowsOf<B> = B extends MicroBatch<infer R> ? KnownRows<R> : any;

/** The declared effect of `F`, or `'none'`. */
type Effect<F> = F extends RowEffect<infer E> ? ([Exclude<E, undefined>] extends [never] ? 'none' : Exclude<E, undefined>) : 'none';

/**
 * The rows after `F` when rows of type `In` go in. A weir operator says what it does (`PassesRows`,
 * `AddsColumns`); an operator whose input and output row types are one known type passes its input on
 * (`rows(filter((r: { n: number }) => ...))` keeps the other columns of the rows it filters; a `map` to the same
 * type is taken for one too: the one unsound case); any other operator produces its declared output rows.
 */
export type RowsAfter<In, F> =
  IsAny<F> extends true
    ? any
    : [Effect<F>] extends ['passes rows']
      ? In
      : [Effect<F>] extends [{ readonly adds: infer C }]
        ? IsAny<In> extends true
          ? any
          : Flat<Omit<In, keyof C> & C>
        : F extends OperatorFunction<infer A, infer B>
          ? IsAny<RowsOf<A>> extends false
            ? SameType<RowsOf<A>, RowsOf<B>> extends true
              ? In
              : RowsOf<B>
            : RowsOf<B>
          : any;

/** True when rows `R` fit where rows `Expected` are expected (`any` expects anything). */
type Fits<R, Expected> = IsAny<Expected> extends true ? true : [R] extends [Expected] ? true : false;

/**
 * What the operator `F` must be when rows of type `In` reach it: itself when it takes them, else the same
 * operator taking them (the message then shows the two input types).
 */
type Accepting<In, F> =
  F extends OperatorFunction<infer A, infer B> ? (Fits<In, RowsOf<A>> extends true ? F : OperatorFunction<MicroBatch<In>, B>) : F;

type CheckedOperators<In, P extends readonly unknown[]> = P extends readonly [infer F, ...infer Rest]
  ? readonly [Accepting<In, F>, ...CheckedOperators<RowsAfter<In, F>, Rest>]
  : P;

type OperatorsOutput<In, P extends readonly unknown[]> = P extends readonly [infer F, ...infer Rest]
  ? OperatorsOutput<RowsAfter<In, F>, Rest>
  : P extends readonly []
    ? In
    : any;

/**
 * The pipeline `P` as it must be when the source's rows are `I`: a tuple checked operator by operator, one
 * operator checked against `I`; an array of unknown length is not checked (`P` itself).
 */
export type CheckedPipeline<I, P> = P extends ReadonlyArray<unknown> ? CheckedOperators<KnownRows<I>, P> : Accepting<KnownRows<I>, P>;

/** The rows the pipeline `P` produces from rows `I` (`any` when that is not known). */
export type PipelineOutput<I, P> = P extends ReadonlyArray<unknown> ? OperatorsOutput<KnownRows<I>, P> : RowsAfter<KnownRows<I>, P>;

/**
 * The sink as it must be for rows `Out`: unconstrained when `Out` fits the sink's rows `O`, else a sink of `Out`
 * (the message then names the rows that do not fit). `addBatch` is a property here, so its rows are compared
 * strictly (a method is compared both ways).
 */
export type SinkAccepting<Out, O> =
  IsAny<Out> extends true
    ? unknown
    : Fits<Out, KnownRows<O>> extends true
      ? unknown
      : Omit<Sink<Out>, 'addBatch'> & { readonly addBatch: (batchId: number, rows: readonly Out[], ...rest: never[]) => Promise<void> };
