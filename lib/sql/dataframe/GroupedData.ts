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
}
