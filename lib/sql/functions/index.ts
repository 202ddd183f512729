/**
 * `weir-streams/functions`: PySpark's `pyspark.sql.functions`, with Spark's names, each returning a Column.
 *
 * Invariants: a bare string argument where PySpark takes a column is a column name (`upper('word')`), a bare
 * value where PySpark takes a literal (a pattern, a format, a duration) is a literal; the columns built here have
 * exactly Spark's output names (`count(1)`, `split(word,  , -1)`, `round(d, 0)`, `window`); nothing is evaluated
 * until a DataFrame runs.
 *
 * @example
 * ```ts
 * import { col, count, window, explode, split } from 'weir-streams/functions';
 * df.select(explode(split(col('value'), ' ')).alias('word'))
 *   .groupBy(window(col('ts'), '10 seconds'), col('word'))
 *   .agg(count('*'));
 * ```
 */
import { Column, invalidColumnName, toExpr, type ColumnOrLiteral, type Literal } from '../expr/Column';
import { splitColumnName, type Expr } from '../expr/Expr';
import { parseExpression } from '../expr/parseExpression';
import { exprError } from '../expr/errorCodes';
import { literalOf } from '../expr/typeSupport';
import { DataType } from '../../values/types';

export { Column } from '../expr/Column';

/** A Column or a column name. */
export type ColumnOrName = Column | string;

function colExpr(c: ColumnOrName): Expr {
  if (c instanceof Column) return c.expr;
  if (typeof c !== 'string') {
    throw exprError('INVALID_ARGUMENT', `Expected a Column or a column name, got ${c === null ? 'null' : typeof c}.`, {});
  }
  return col(c).expr;
}

function call(name: string, args: readonly Expr[], distinct = false): Column {
  return new Column({ kind: 'call', name, args, distinct });
}

function fn(name: string, ...cols: ColumnOrName[]): Column {
  return call(name, cols.map(colExpr));
}

/** Spreads `f(a, b)` and `f([a, b])`. */
function flat<T>(items: ReadonlyArray<T | readonly T[]>): T[] {
  return items.length === 1 && Array.isArray(items[0]) ? [...(items[0] as readonly T[])] : (items as T[]);
}

// ---- columns and literals --------------------------------------------------------------------------------

/**
 * A column by name: `'a'`, a struct path `'window.start'`, a name with dots in backquotes `` '`a.b`' ``, or `'*'`.
 *
 * @example
 * ```ts
 * col('window.start').toString(); // 'start'
 * ```
 */
export function col(name: string): Column {
  if (typeof name !== 'string') throw exprError('INVALID_ARGUMENT', `col() needs a column name, got ${typeof name}.`, {});
  if (name === '*') return new Column({ kind: 'column', name: '*', parts: ['*'] });
  const parts = splitColumnName(name);
  if (parts === null) throw invalidColumnName(name);
  return new Column({ kind: 'column', name, parts });
}

/** Same as `col`. */
export const column = col;

/**
 * A literal column (a Column passes through; an array becomes `array(...)`).
 *
 * @example
 * ```ts
 * lit(1).toString();   // '1'
 * lit('x').toString(); // 'x'
 * ```
 */
export function lit(value: ColumnOrLiteral): Column {
  if (value instanceof Column) return value;
  return new Column(toExpr(value));
}

/**
 * Parses a SQL expression string into a Column (`expr("count(*) AS n")`).
 *
 * @example
 * ```ts
 * expr('upper(word) AS w').toString(); // 'w'
 * ```
 */
export function expr(sql: string): Column {
  return new Column(parseExpression(sql));
}

// ---- time windows ------------------------------------------------------------------------------------------

/**
 * Buckets rows into `[start, end)` time windows (`'10 seconds'`; sliding with `slideDuration`, shifted by
 * `startTime`). The column is named `window`, a struct of `start` and `end` timestamps.
 *
 * @example
 * ```ts
 * df.groupBy(window('ts', '10 seconds', '5 seconds'), col('word')).count();
 * ```
 */
export function window(timeColumn: ColumnOrName, windowDuration: string, slideDuration?: string | null, startTime?: string | null): Column {
  const args: Expr[] = [colExpr(timeColumn), literalOf(windowDuration)];
  if (slideDuration !== undefined && slideDuration !== null) args.push(literalOf(slideDuration));
  if (startTime !== undefined && startTime !== null) {
    if (args.length === 2) args.push(literalOf(windowDuration));
    args.push(literalOf(startTime));
  }
  return call('window', args);
}

/** Session windows with a gap (a duration string, or a column of per-row gaps). Named `session_window`. */
export function session_window(timeColumn: ColumnOrName, gapDuration: string | Column): Column {
  return call('session_window', [colExpr(timeColumn), gapDuration instanceof Column ? gapDuration.expr : literalOf(gapDuration)]);
}

/** The event time of a window: its end minus the smallest unit (weir: 1 ms; Spark: 1 µs). */
export function window_time(windowColumn: ColumnOrName): Column {
  return fn('window_time', windowColumn);
}

// ---- aggregates --------------------------------------------------------------------------------------------

/** `count(col)`; `count('*')` counts rows and is named `count(1)`. */
export function count(c: ColumnOrName): Column {
  if (c === '*' || (c instanceof Column && c.expr.kind === 'column' && c.expr.name === '*')) {
    return new Column({ kind: 'call', name: 'count', args: [], distinct: false, star: true });
  }
  return fn('count', c);
}
export function sum(c: ColumnOrName): Column {
  return fn('sum', c);
}
export function avg(c: ColumnOrName): Column {
  return fn('avg', c);
}
/** Same as `avg` (named `avg(x)`, as Spark's `functions.mean`). */
export function mean(c: ColumnOrName): Column {
  return fn('avg', c);
}
export function min(c: ColumnOrName): Column {
  return fn('min', c);
}
export function max(c: ColumnOrName): Column {
  return fn('max', c);
}
/** The first value (arrival order in weir); with `ignorenulls`, the first non-null one. */
export function first(c: ColumnOrName, ignorenulls = false): Column {
  return call('first', [colExpr(c), literalOf(ignorenulls)]);
}
/** The last value; with `ignorenulls`, the last non-null one. */
export function last(c: ColumnOrName, ignorenulls = false): Column {
  return call('last', [colExpr(c), literalOf(ignorenulls)]);
}
export function collect_list(c: ColumnOrName): Column {
  return fn('collect_list', c);
}
export function collect_set(c: ColumnOrName): Column {
  return fn('collect_set', c);
}
/** HyperLogLog++ distinct count with relative standard deviation `rsd` (default 0.05). */
export function approx_count_distinct(c: ColumnOrName, rsd?: number): Column {
  return call('approx_count_distinct', rsd === undefined ? [colExpr(c)] : [colExpr(c), literalOf(rsd)]);
}
/** Same as `approx_count_distinct` (PySpark's deprecated name). */
export const approxCountDistinct = approx_count_distinct;
/** `count(DISTINCT cols...)` (batch only: Spark rejects distinct aggregates on streaming DataFrames). */
export function count_distinct(c: ColumnOrName, ...cols: ColumnOrName[]): Column {
  return call('count', [c, ...cols].map(colExpr), true);
}
/** Same as `count_distinct`. */
export const countDistinct = count_distinct;
/** `sum(DISTINCT col)`. */
export function sum_distinct(c: ColumnOrName): Column {
  return call('sum', [colExpr(c)], true);
}

// ---- generators and complex types --------------------------------------------------------------------------

/** One row per element of an array (column `col`) or entry of a map (columns `key`, `value`). */
export function explode(c: ColumnOrName): Column {
  return fn('explode', c);
}
/** Like `explode`, but a null or empty collection gives one row with null. */
export function explode_outer(c: ColumnOrName): Column {
  return fn('explode_outer', c);
}
/** Splits a string around matches of a Java regex; `limit` > 0 keeps at most `limit` parts. */
export function split(str: ColumnOrName, pattern: string, limit = -1): Column {
  return call('split', [colExpr(str), literalOf(pattern), literalOf(limit)]);
}
/** A struct of the columns (fields named after the columns, `col<n>` for unnamed expressions). */
export function struct(...cols: Array<ColumnOrName | readonly ColumnOrName[]>): Column {
  return call('struct', flat<ColumnOrName>(cols).map(colExpr));
}
export function array(...cols: Array<ColumnOrName | readonly ColumnOrName[]>): Column {
  return call('array', flat<ColumnOrName>(cols).map(colExpr));
}
/** A map from alternating key and value columns. */
export function create_map(...cols: Array<ColumnOrName | readonly ColumnOrName[]>): Column {
  return call('map', flat<ColumnOrName>(cols).map(colExpr));
}
export function size(c: ColumnOrName): Column {
  return fn('size', c);
}
export function array_contains(c: ColumnOrName, value: ColumnOrLiteral): Column {
  return call('array_contains', [colExpr(c), toExpr(value)]);
}
export function element_at(c: ColumnOrName, extraction: ColumnOrLiteral): Column {
  return call('element_at', [colExpr(c), toExpr(extraction)]);
}

function schemaLiteral(schema: DataType | string | Column): Expr {
  if (schema instanceof Column) return schema.expr;
  if (schema instanceof DataType) return literalOf(schema.json());
  return literalOf(schema);
}

function optionsMap(options: Readonly<Record<string, unknown>> | undefined): Expr[] {
  if (options === undefined) return [];
  const args: Expr[] = [];
  for (const k of Object.keys(options)) args.push(literalOf(k), literalOf(String(options[k])));
  return [{ kind: 'call', name: 'map', args, distinct: false }];
}

/**
 * Parses a JSON string column with `schema` (a StructType, ArrayType, MapType, a DDL string such as
 * `'a INT, b STRING'`, or a type string). Malformed JSON gives a struct of nulls (PERMISSIVE).
 */
export function from_json(c: ColumnOrName, schema: DataType | string | Column, options?: Readonly<Record<string, unknown>>): Column {
  return call('from_json', [colExpr(c), schemaLiteral(schema), ...optionsMap(options)]);
}
/** The JSON text of a struct, array or map column. */
export function to_json(c: ColumnOrName, options?: Readonly<Record<string, unknown>>): Column {
  return call('to_json', [colExpr(c), ...optionsMap(options)]);
}

// ---- date and time -----------------------------------------------------------------------------------------

/** Casts to TIMESTAMP, or parses with a Spark datetime pattern (`'yyyy-MM-dd HH:mm:ss'`). */
export function to_timestamp(c: ColumnOrName, format?: string): Column {
  return call('to_timestamp', format === undefined ? [colExpr(c)] : [colExpr(c), literalOf(format)]);
}
export function to_date(c: ColumnOrName, format?: string): Column {
  return call('to_date', format === undefined ? [colExpr(c)] : [colExpr(c), literalOf(format)]);
}
/** A TIMESTAMP from seconds since the epoch. */
export function timestamp_seconds(c: ColumnOrName): Column {
  return fn('timestamp_seconds', c);
}
export function timestamp_millis(c: ColumnOrName): Column {
  return fn('timestamp_millis', c);
}
/** The batch's timestamp: frozen per micro-batch (and on replay), as Spark's streaming `current_timestamp()`. */
export function current_timestamp(): Column {
  return call('current_timestamp', []);
}
export function current_date(): Column {
  return call('current_date', []);
}
export function date_format(c: ColumnOrName, format: string): Column {
  return call('date_format', [colExpr(c), literalOf(format)]);
}
export function unix_timestamp(c?: ColumnOrName, format = 'yyyy-MM-dd HH:mm:ss'): Column {
  return c === undefined ? call('unix_timestamp', []) : call('unix_timestamp', [colExpr(c), literalOf(format)]);
}
export function from_unixtime(c: ColumnOrName, format = 'yyyy-MM-dd HH:mm:ss'): Column {
  return call('from_unixtime', [colExpr(c), literalOf(format)]);
}
export function year(c: ColumnOrName): Column {
  return fn('year', c);
}
export function quarter(c: ColumnOrName): Column {
  return fn('quarter', c);
}
export function month(c: ColumnOrName): Column {
  return fn('month', c);
}
export function dayofmonth(c: ColumnOrName): Column {
  return fn('dayofmonth', c);
}
export function dayofweek(c: ColumnOrName): Column {
  return fn('dayofweek', c);
}
export function dayofyear(c: ColumnOrName): Column {
  return fn('dayofyear', c);
}
export function weekofyear(c: ColumnOrName): Column {
  return fn('weekofyear', c);
}
export function hour(c: ColumnOrName): Column {
  return fn('hour', c);
}
export function minute(c: ColumnOrName): Column {
  return fn('minute', c);
}
export function second(c: ColumnOrName): Column {
  return fn('second', c);
}
export function date_add(c: ColumnOrName, days: number | Column): Column {
  return call('date_add', [colExpr(c), toExpr(days)]);
}
export function date_sub(c: ColumnOrName, days: number | Column): Column {
  return call('date_sub', [colExpr(c), toExpr(days)]);
}
export function datediff(end: ColumnOrName, start: ColumnOrName): Column {
  return fn('datediff', end, start);
}
export function date_trunc(format: string, timestamp: ColumnOrName): Column {
  return call('date_trunc', [literalOf(format), colExpr(timestamp)]);
}

// ---- conditionals and null handling ------------------------------------------------------------------------

/**
 * `CASE WHEN condition THEN value`; chain `.when(...)` and finish with `.otherwise(...)`.
 *
 * @example
 * ```ts
 * when(col('a').gt(1), 'big').otherwise('small').toString(); // 'CASE WHEN (a > 1) THEN big ELSE small END'
 * ```
 */
export function when(condition: Column, value: ColumnOrLiteral): Column {
  if (!(condition instanceof Column)) throw exprError('INVALID_ARGUMENT', 'when() needs a Column condition.', {});
  return new Column({ kind: 'caseWhen', branches: [[condition.expr, toExpr(value)]] });
}
export function coalesce(...cols: ColumnOrName[]): Column {
  return fn('coalesce', ...cols);
}
export function ifnull(a: ColumnOrName, b: ColumnOrName): Column {
  return fn('ifnull', a, b);
}
export function nvl(a: ColumnOrName, b: ColumnOrName): Column {
  return fn('nvl', a, b);
}
export function nullif(a: ColumnOrName, b: ColumnOrName): Column {
  return fn('nullif', a, b);
}
/** `(col IS NULL)`. */
export function isnull(c: ColumnOrName): Column {
  return new Column({ kind: 'isNull', child: colExpr(c), negated: false });
}
export function isnotnull(c: ColumnOrName): Column {
  return new Column({ kind: 'isNull', child: colExpr(c), negated: true });
}
export function isnan(c: ColumnOrName): Column {
  return fn('isnan', c);
}
export function nanvl(a: ColumnOrName, b: ColumnOrName): Column {
  return fn('nanvl', a, b);
}
export function greatest(...cols: ColumnOrName[]): Column {
  return fn('greatest', ...cols);
}
export function least(...cols: ColumnOrName[]): Column {
  return fn('least', ...cols);
}

// ---- strings ---------------------------------------------------------------------------------------------

export function concat(...cols: ColumnOrName[]): Column {
  return fn('concat', ...cols);
}
/** Joins the non-null values (and array elements) with `sep`. */
export function concat_ws(sep: string, ...cols: ColumnOrName[]): Column {
  return call('concat_ws', [literalOf(sep), ...cols.map(colExpr)]);
}
export function upper(c: ColumnOrName): Column {
  return fn('upper', c);
}
export function lower(c: ColumnOrName): Column {
  return fn('lower', c);
}
/** The number of characters (code points) of a string, or bytes of a binary. */
export function length(c: ColumnOrName): Column {
  return fn('length', c);
}
/** Removes leading and trailing spaces (U+0020 only, as Spark). */
export function trim(c: ColumnOrName): Column {
  return fn('trim', c);
}
export function ltrim(c: ColumnOrName): Column {
  return fn('ltrim', c);
}
export function rtrim(c: ColumnOrName): Column {
  return fn('rtrim', c);
}
/** `substring(str, pos, len)`: 1-based, a negative `pos` counts from the end. */
export function substring(str: ColumnOrName, pos: number, len: number): Column {
  return call('substring', [colExpr(str), literalOf(pos), literalOf(len)]);
}
export function lpad(c: ColumnOrName, len: number, pad: string): Column {
  return call('lpad', [colExpr(c), literalOf(len), literalOf(pad)]);
}
export function rpad(c: ColumnOrName, len: number, pad: string): Column {
  return call('rpad', [colExpr(c), literalOf(len), literalOf(pad)]);
}
export function regexp_replace(str: ColumnOrName, pattern: string | Column, replacement: string | Column): Column {
  return call('regexp_replace', [colExpr(str), toExpr(pattern), toExpr(replacement)]);
}
export function regexp_extract(str: ColumnOrName, pattern: string, idx: number): Column {
  return call('regexp_extract', [colExpr(str), literalOf(pattern), literalOf(idx)]);
}
export function instr(str: ColumnOrName, substr: string): Column {
  return call('instr', [colExpr(str), literalOf(substr)]);
}
export function reverse(c: ColumnOrName): Column {
  return fn('reverse', c);
}
export function initcap(c: ColumnOrName): Column {
  return fn('initcap', c);
}

// ---- math ------------------------------------------------------------------------------------------------

export function abs(c: ColumnOrName): Column {
  return fn('abs', c);
}
/** HALF_UP rounding to `scale` decimal places (named `round(x, 0)` by default, as Spark). */
export function round(c: ColumnOrName, scale = 0): Column {
  return call('round', [colExpr(c), literalOf(scale)]);
}
/** HALF_EVEN rounding. */
export function bround(c: ColumnOrName, scale = 0): Column {
  return call('bround', [colExpr(c), literalOf(scale)]);
}
export function floor(c: ColumnOrName): Column {
  return fn('floor', c);
}
export function ceil(c: ColumnOrName): Column {
  return fn('ceil', c);
}
export function sqrt(c: ColumnOrName): Column {
  return fn('sqrt', c);
}
export function exp(c: ColumnOrName): Column {
  return fn('exp', c);
}
export function pow(base: ColumnOrName | number, exponent: ColumnOrName | number): Column {
  const arg = (v: ColumnOrName | number): Expr => (typeof v === 'number' ? literalOf(v) : colExpr(v));
  return call('pow', [arg(base), arg(exponent)]);
}
/** `-col`, named `negative(col)`. */
export function negative(c: ColumnOrName): Column {
  return new Column({ kind: 'unary', op: '-', child: colExpr(c), functionStyle: true });
}

// ---- sort orders -----------------------------------------------------------------------------------------

export function asc(c: ColumnOrName): Column {
  return new Column(colExpr(c)).asc();
}
export function desc(c: ColumnOrName): Column {
  return new Column(colExpr(c)).desc();
}
export function asc_nulls_first(c: ColumnOrName): Column {
  return new Column(colExpr(c)).asc_nulls_first();
}
export function asc_nulls_last(c: ColumnOrName): Column {
  return new Column(colExpr(c)).asc_nulls_last();
}
export function desc_nulls_first(c: ColumnOrName): Column {
  return new Column(colExpr(c)).desc_nulls_first();
}
export function desc_nulls_last(c: ColumnOrName): Column {
  return new Column(colExpr(c)).desc_nulls_last();
}

export type { ColumnOrLiteral, Literal };
