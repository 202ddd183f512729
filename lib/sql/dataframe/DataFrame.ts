/**
 * PySpark's DataFrame, streaming or batch, over an immutable logical plan.
 *
 * Invariants: every transformation returns a new DataFrame and changes nothing; string arguments of
 * select/groupBy/drop are column names (as in Spark), SQL text goes through selectExpr/filter/expr and is parsed,
 * never evaluated; batch actions on a streaming DataFrame throw Spark's error.
 */
import type { Row } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';
import { Column } from '../expr/Column';
import { someNode, type Expr } from '../expr/Expr';
import { isAggregateCall } from '../expr/analyzer/classify';
import { parseExpression } from '../expr/parseExpression';
import { showString } from '../../../connectors/console/showString';
import type { StructType } from '../../values/types';
import { GroupedData } from './GroupedData';
import { describePlan, isStreamingPlan, childrenOf, type LogicalPlan } from './LogicalPlan';
import { Messages, compilePlan } from './planner';
import { analysisError } from '../../plan/analysisMessages';
import type { SessionLike } from './SessionLike';
import { executeBatch } from './executeBatch';
import { DataStreamWriter } from './DataStreamWriter';
import { DataFrameWriter } from './DataFrameWriter';
import { showCells } from './showCells';

/** A column argument: a Column, or a column name. */
export type ColumnLike = Column | string;

/** A column name (or '*') as an expression. */
export function columnExpr(c: ColumnLike): Expr {
  if (c instanceof Column) return c.expr;
  if (typeof c !== 'string') {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Expected a Column or a column name, got ${typeof c}`, { context: {} });
  }
  return { kind: 'column', name: c } as Expr;
}

/** A filter condition: a Column or a SQL expression string. */
function conditionExpr(c: Column | string): Expr {
  return c instanceof Column ? c.expr : parseExpression(c);
}

/** A streaming or batch DataFrame. */
export class DataFrame {
  /** @internal */
  constructor(
    readonly session: SessionLike,
    /** @internal */ readonly plan: LogicalPlan,
  ) {}

  private with(plan: LogicalPlan): DataFrame {
    return new DataFrame(this.session, plan);
  }

  /** True when the DataFrame reads a streaming source. */
  get isStreaming(): boolean {
    return isStreamingPlan(this.plan);
  }

  /** The schema (analysis runs here: unknown columns fail now, with Spark's message). */
  get schema(): StructType {
    return compilePlan(this.plan, { streaming: this.isStreaming, outputMode: 'complete' }).schema;
  }

  /** The column names. */
  get columns(): string[] {
    return this.schema.fieldNames();
  }

  /** Spark's `printSchema()`: prints the tree and returns it. */
  printSchema(): string {
    const text = this.schema.treeString();
    process.stdout.write(`${text}\n`);
    return text;
  }

  /** The logical plan as text (and prints it, as PySpark does). */
  explain(extended = false): string {
    const lines: string[] = [];
    const walk = (p: LogicalPlan, depth: number): void => {
      lines.push(`${depth === 0 ? '' : `${'   '.repeat(depth - 1)}+- `}${describePlan(p)}`);
      for (const c of childrenOf(p)) walk(c, depth + 1);
    };
    walk(this.plan, 0);
    const text = `${extended ? '== Analyzed Logical Plan ==\n' : '== Physical Plan ==\n'}${lines.join('\n')}\n`;
    process.stdout.write(text);
    return text;
  }

  /** The column `name` of this DataFrame (PySpark's `df.name` / `df['name']`). */
  col(name: string): Column {
    return new Column(columnExpr(name));
  }

  select(...cols: Array<ColumnLike | ColumnLike[]>): DataFrame {
    const list = cols.flat();
    return this.with({ kind: 'project', child: this.plan, exprs: list.map(columnExpr) });
  }

  /** Projections written as SQL expression strings: `selectExpr('word', 'count(*) AS n')`. */
  selectExpr(...exprs: string[]): DataFrame {
    const parsed = exprs.map((e) => parseExpression(e));
    if (parsed.some((p) => containsAggregateCall(p))) {
      return new GroupedData(this, []).aggExprs(parsed);
    }
    return this.with({ kind: 'project', child: this.plan, exprs: parsed });
  }

  filter(condition: Column | string): DataFrame {
    return this.with({ kind: 'filter', child: this.plan, condition: conditionExpr(condition) });
  }

  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  withColumn(name: string, column: Column): DataFrame {
    const exists = this.columns.some((c) => c.toLowerCase() === name.toLowerCase());
    const exprs: Expr[] = exists
      ? this.columns.map((c) => (c.toLowerCase() === name.toLowerCase() ? column.alias(name).expr : columnExpr(c)))
      : [{ kind: 'column', name: '*' } as Expr, column.alias(name).expr];
    return this.with({ kind: 'project', child: this.plan, exprs });
  }

  withColumnRenamed(existing: string, renamed: string): DataFrame {
    if (!this.columns.some((c) => c.toLowerCase() === existing.toLowerCase())) return this;
    return this.with({
      kind: 'project',
      child: this.plan,
      exprs: this.columns.map((c) =>
        c.toLowerCase() === existing.toLowerCase() ? new Column(columnExpr(c)).alias(renamed).expr : columnExpr(c),
      ),
    });
  }

  drop(...cols: ColumnLike[]): DataFrame {
    const names = new Set(
      cols.map((c) => (typeof c === 'string' ? c : c.toString()).toLowerCase()),
    );
    const keep = this.columns.filter((c) => !names.has(c.toLowerCase()));
    return this.with({ kind: 'project', child: this.plan, exprs: keep.map(columnExpr) });
  }

  groupBy(...cols: Array<ColumnLike | ColumnLike[]>): GroupedData {
    return new GroupedData(this, cols.flat().map(columnExpr));
  }

  /** Alias of groupBy (Spark's `groupby`). */
  groupby(...cols: Array<ColumnLike | ColumnLike[]>): GroupedData {
    return this.groupBy(...cols);
  }

  /** Aggregates the whole DataFrame: `df.agg(count('*'))`. */
  agg(...exprs: Column[]): DataFrame {
    return new GroupedData(this, []).agg(...exprs);
  }

  withWatermark(eventTime: string, delayThreshold: string): DataFrame {
    return this.with({ kind: 'watermark', child: this.plan, column: eventTime, delay: delayThreshold });
  }

  orderBy(...cols: Array<ColumnLike | ColumnLike[]>): DataFrame {
    return this.with({ kind: 'sort', child: this.plan, orders: cols.flat().map(columnExpr) });
  }

  sort(...cols: Array<ColumnLike | ColumnLike[]>): DataFrame {
    return this.orderBy(...cols);
  }

  limit(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `The limit expression must be equal to or greater than 0, but got ${n}`, {
        context: { n },
      });
    }
    return this.with({ kind: 'limit', child: this.plan, n });
  }

  union(other: DataFrame): DataFrame {
    return this.with({ kind: 'union', children: [this.plan, other.plan], byName: false });
  }

  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }

  unionByName(other: DataFrame): DataFrame {
    const names = this.columns;
    const reordered = other.select(...names);
    return this.with({ kind: 'union', children: [this.plan, reordered.plan], byName: true });
  }

  /**
   * Spark's `join(other, on, how)`. `on` is a column name or a list of them (equally named keys, output once), a
   * Column condition (or a list of them, ANDed), or a SQL condition string (`'lk = rk AND lt BETWEEN rt - interval 5 seconds AND rt'`);
   * absent = a cross join. `how` takes Spark's names (`inner`, `left_outer`, `right`, `full`, `left_semi`,
   * `left_anti`, `cross`, ...). Stream-stream joins need append mode and, for outer and semi joins, watermarks
   * and a range condition, as in Spark.
   *
   * @example
   * impressions.withWatermark('impressionTime', '2 hours')
   *   .join(clicks.withWatermark('clickTime', '3 hours'),
   *     expr('clickAdId = impressionAdId AND clickTime >= impressionTime AND clickTime <= impressionTime + interval 1 hour'),
   *     'left_outer')
   */
  join(other: DataFrame, on?: string | readonly string[] | Column | readonly Column[], how = 'inner'): DataFrame {
    if (on === undefined) return this.with({ kind: 'join', left: this.plan, right: other.plan, how });
    if (on instanceof Column) return this.with({ kind: 'join', left: this.plan, right: other.plan, how, condition: on.expr });
    if (Array.isArray(on) && on.length > 0 && on.every((c) => c instanceof Column)) {
      // PySpark: a list of Column conditions is their conjunction.
      const condition = (on as readonly Column[]).reduce((a, b) => a.and(b));
      return this.with({ kind: 'join', left: this.plan, right: other.plan, how, condition: condition.expr });
    }
    if (typeof on === 'string') {
      const parsed = parseExpression(on);
      // A bare column name is a USING column (PySpark's `on='k'`); anything else is a condition.
      if (parsed.kind === 'column' && !on.includes('.')) {
        return this.with({ kind: 'join', left: this.plan, right: other.plan, how, using: [on] });
      }
      return this.with({ kind: 'join', left: this.plan, right: other.plan, how, condition: parsed });
    }
    return this.with({ kind: 'join', left: this.plan, right: other.plan, how, using: [...(on as readonly string[])] });
  }

  /** Spark's `crossJoin(other)`. */
  crossJoin(other: DataFrame): DataFrame {
    return this.join(other, undefined, 'cross');
  }

  /**
   * Spark's `dropDuplicates(subset?)`: keeps the first row of each combination of the columns (all columns
   * when none are given). On a stream, state is kept per key; it is evicted by the watermark only when the
   * event-time column is one of the columns.
   */
  dropDuplicates(...subset: Array<string | readonly string[]>): DataFrame {
    const columns = subset.flat();
    return this.with({ kind: 'deduplicate', child: this.plan, columns: columns.length === 0 ? null : columns, withinWatermark: false });
  }

  /** PySpark's alias of `dropDuplicates`. */
  drop_duplicates(...subset: Array<string | readonly string[]>): DataFrame {
    return this.dropDuplicates(...subset);
  }

  /** Spark's `distinct()`: `dropDuplicates()` over every column. */
  distinct(): DataFrame {
    return this.dropDuplicates();
  }

  /**
   * Spark 3.5's `dropDuplicatesWithinWatermark(subset?)`: a streaming DataFrame with a watermark keeps the first
   * row of a key until its event time + the watermark delay passes the watermark.
   */
  dropDuplicatesWithinWatermark(...subset: Array<string | readonly string[]>): DataFrame {
    const columns = subset.flat();
    return this.with({ kind: 'deduplicate', child: this.plan, columns: columns.length === 0 ? null : columns, withinWatermark: true });
  }

  /**
   * Spark's `cache()` / `persist()`: a hint that changes no result, so weir returns this DataFrame. The rows a
   * `foreachBatch` function gets are already held in memory; other DataFrames are recomputed by each action.
   */
  cache(): DataFrame {
    return this;
  }

  persist(_storageLevel?: string): DataFrame {
    return this;
  }

  /** Spark's `unpersist(blocking?)`: the counterpart of `cache()`, returns this DataFrame. */
  unpersist(_blocking = false): DataFrame {
    return this;
  }

  alias(name: string): DataFrame {
    return this.with({ kind: 'alias', child: this.plan, name });
  }

  /** Registers this DataFrame as a temporary view for `session.table` / `session.sql`. */
  createOrReplaceTempView(name: string): void {
    this.session.registerView(name, this.plan);
  }

  /** The writer of a batch DataFrame (`df.write.format('parquet').mode('overwrite').save(path)`). */
  get write(): DataFrameWriter {
    return new DataFrameWriter(this);
  }

  /** The writer of a streaming DataFrame. */
  get writeStream(): DataStreamWriter {
    if (!this.isStreaming) {
      throw analysisError(Messages.streamingActionOnBatch);
    }
    return new DataStreamWriter(this);
  }

  private assertBatch(action: string): void {
    if (this.isStreaming) {
      throw analysisError(Messages.batchActionOnStreaming, { action });
    }
  }

  /** All rows (batch only). */
  async collect(): Promise<Row[]> {
    this.assertBatch('collect');
    return executeBatch(this.plan, this.session.now());
  }

  async count(): Promise<number> {
    this.assertBatch('count');
    return (await this.collect()).length;
  }

  async take(n: number): Promise<Row[]> {
    this.assertBatch('take');
    return (await this.limit(n).collect()).slice(0, n);
  }

  async first(): Promise<Row | null> {
    return (await this.take(1))[0] ?? null;
  }

  async head(n = 1): Promise<Row[]> {
    return this.take(n);
  }

  /** Prints the first `n` rows as Spark's `show()` does, and returns the text. */
  async show(n = 20, truncate: boolean | number = true): Promise<string> {
    this.assertBatch('show');
    const schema = this.schema;
    const rows = showCells(await this.collect(), schema);
    const text = showString(rows, { numRows: n, truncate, columns: schema.fieldNames() });
    process.stdout.write(`${text}\n`);
    return text;
  }
}

/** True when an aggregate call is in `e` (the analyzer's one list of aggregates; iterative, so any length of chain). */
function containsAggregateCall(e: Expr): boolean {
  return someNode(e, isAggregateCall);
}
