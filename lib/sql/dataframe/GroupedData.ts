/**
 * PySpark's GroupedData: `df.groupBy(...)` followed by `count()`, `agg(...)`, `sum/avg/min/max(...)`.
 *
 * Invariant: produces an Aggregate node over the parent's plan; the planner compiles it onto
 * `groupByKey` + `agg`, with a `window`/`sessionWindow` operator for time-window grouping expressions.
 */
import { Column } from '../expr/Column';
import type { Expr } from '../expr/Expr';
import { parseExpression } from '../expr/parseExpression';
import type { DataFrame } from './DataFrame';
import type { Row } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';
import { parseGroupStateTimeout, type GroupState, type GroupStateTimeout } from '../../groupState/GroupState';
import { StructType } from '../../values/types';

/** Options of `flatMapGroupsWithState` / `mapGroupsWithState` on GroupedData. */
export interface GroupsWithStateOptions {
  /** The schema of the rows the function returns (a StructType or DDL). */
  readonly outputSchema: StructType | string;
  /** `'NoTimeout'` (default), `'ProcessingTimeTimeout'` or `'EventTimeTimeout'`. */
  readonly timeout?: GroupStateTimeout | string;
  /**
   * Scala's `initialState`, as `[key row, state]` pairs (key rows with the grouping columns): applied in batch 0
   * only; keys without rows are called with none; a key given twice fails with Spark's message.
   */
  readonly initialState?: Iterable<readonly [Row, unknown]>;
}

/** `fn(column)` as an expression; the column name is quoted, so any name is taken literally. */
function call(fn: string, column: string | null, alias?: string): Expr {
  const arg = column === null ? '1' : `\`${column.replace(/`/g, '``')}\``;
  return parseExpression(`${fn}(${arg})${alias === undefined ? '' : ` AS \`${alias}\``}`);
}

/** The result of `groupBy`. */
export class GroupedData {
  constructor(
    private readonly df: DataFrame,
    private readonly keys: readonly Expr[],
  ) {}

  /** @internal Aggregates given as expressions. */
  aggExprs(aggs: readonly Expr[]): DataFrame {
    const Ctor = this.df.constructor as new (session: DataFrame['session'], plan: DataFrame['plan']) => DataFrame;
    return new Ctor(this.df.session, { kind: 'aggregate', child: this.df.plan, groupBy: this.keys, aggs });
  }

  /** `agg(count('*').alias('n'), sum('v'))`, or PySpark's dict form `agg({ v: 'sum' })`. */
  agg(...exprs: Array<Column | Record<string, string>>): DataFrame {
    const list: Expr[] = [];
    for (const e of exprs) {
      if (e instanceof Column) list.push(e.expr);
      else for (const [column, fn] of Object.entries(e as Record<string, string>)) list.push(call(fn.toLowerCase(), column));
    }
    return this.aggExprs(list);
  }

  /** `count` column (Spark's `groupBy(...).count()`). */
  count(): DataFrame {
    return this.aggExprs([call('count', null, 'count')]);
  }

  sum(...cols: string[]): DataFrame {
    return this.aggExprs(cols.map((c) => call('sum', c)));
  }

  avg(...cols: string[]): DataFrame {
    return this.aggExprs(cols.map((c) => call('avg', c)));
  }

  mean(...cols: string[]): DataFrame {
    return this.avg(...cols);
  }

  min(...cols: string[]): DataFrame {
    return this.aggExprs(cols.map((c) => call('min', c)));
  }

  max(...cols: string[]): DataFrame {
    return this.aggExprs(cols.map((c) => call('max', c)));
  }

  /**
   * Arbitrary stateful processing per group (Spark's `flatMapGroupsWithState`; PySpark's
   * `applyInPandasWithState` with rows instead of pandas frames): `fn(key, rows, state)` gets the group's key
   * columns as an object, its rows of this batch (none when it timed out) and its `GroupState`, and returns the
   * output rows, which must fit `outputSchema`.
   *
   * @example
   * events.withWatermark('ts', '10 seconds').groupBy('user').flatMapGroupsWithState(
   *   (key, rows, state) => { ... },
   *   { outputMode: 'append', timeout: 'EventTimeTimeout', outputSchema: 'user STRING, events BIGINT' })
   */
  flatMapGroupsWithState<S = unknown>(
    fn: (key: Row, rows: readonly Row[], state: GroupState<S>) => Iterable<Row> | void,
    options: GroupsWithStateOptions & { readonly outputMode: 'append' | 'update' | string },
  ): DataFrame {
    return this.groupsWithState(false, fn, options.outputMode, options);
  }

  /** PySpark's name: `applyInPandasWithState(func, outputStructType, stateStructType, outputMode, timeoutConf)`. */
  applyInPandasWithState<S = unknown>(
    fn: (key: Row, rows: readonly Row[], state: GroupState<S>) => Iterable<Row> | void,
    outputStructType: StructType | string,
    _stateStructType: StructType | string,
    outputMode: 'append' | 'update' | string,
    timeoutConf: GroupStateTimeout | string,
  ): DataFrame {
    return this.groupsWithState(false, fn, outputMode, { outputSchema: outputStructType, timeout: timeoutConf }, true);
  }

  /** Spark's `mapGroupsWithState`: one output row per call; the query must run in update mode. */
  mapGroupsWithState<S = unknown>(
    fn: (key: Row, rows: readonly Row[], state: GroupState<S>) => Row,
    options: GroupsWithStateOptions,
  ): DataFrame {
    return this.groupsWithState(true, fn, 'update', options);
  }

  private groupsWithState(
    isMapGroupsWithState: boolean,
    fn: (key: Row, rows: readonly Row[], state: GroupState<any>) => Iterable<Row> | Row | void,
    outputMode: string,
    options: GroupsWithStateOptions,
    applyInPandasWithState = false,
  ): DataFrame {
    const mode = String(outputMode).toLowerCase();
    if (mode !== 'append' && mode !== 'update') {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `The output mode of flatMapGroupsWithState must be 'append' or 'update', got ${outputMode}`, {
        context: { outputMode },
      });
    }
    const outputSchema = typeof options.outputSchema === 'string' ? StructType.fromDDL(options.outputSchema) : options.outputSchema;
    const Ctor = this.df.constructor as new (session: DataFrame['session'], plan: DataFrame['plan']) => DataFrame;
    return new Ctor(this.df.session, {
      kind: 'groupsWithState',
      child: this.df.plan,
      keys: this.keys,
      spec: {
        isMapGroupsWithState,
        applyInPandasWithState,
        fn,
        outputMode: mode,
        timeout: parseGroupStateTimeout(options.timeout ?? 'NoTimeout'),
        outputSchema,
        ...(options.initialState !== undefined ? { initialState: options.initialState } : {}),
      },
    });
  }
}
