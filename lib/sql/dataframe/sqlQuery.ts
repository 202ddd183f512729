/**
 * `session.sql('SELECT ...')`: a SELECT statement over temp views and memory-sink tables, parsed by
 * `parseSelect.ts` (weir's own parser of Spark's grammar, sharing the expression parser) and planned here as
 * DataFrame calls, so SQL and the DataFrame API share one planner and one expression language.
 *
 * The plan follows Spark's logical order: FROM → WHERE → GROUP BY / aggregates → HAVING → SELECT list →
 * DISTINCT → ORDER BY → LIMIT.
 *
 * Invariants: nothing is evaluated as JavaScript; aggregate calls in HAVING and ORDER BY refer to the aggregates
 * of the SELECT list, or to hidden ones computed with them and dropped by the final projection (ORDER BY reaches
 * them through Spark's missing-reference resolution of a sort over a projection); `GROUP BY n` and `ORDER BY n`
 * are positions in the SELECT list (Spark's groupByOrdinal/orderByOrdinal), `GROUP BY alias` the aliased item when
 * no column has that name (groupByAliases); `t.col` and `t.*` with `t` the table's name or alias are the
 * table's columns.
 */
import { ErrorCodes, WeirError } from '../../errors';
import { Column } from '../expr/Column';
import { collectNodes, fieldRef, transformUp, type Expr, type SortOrderExpr } from '../expr/Expr';
import { isAggregate, outputName } from '../expr/analyze';
import { prettySql } from '../expr/outputName';
import { columnRef } from '../expr/parseExpression';
import type { DataFrame } from './DataFrame';
import { parseSelect, type SelectStatement } from './parseSelect';

const STAR: Expr = { kind: 'column', name: '*', parts: ['*'] };

/** Plans `text` against the session's tables. */
export function planSql(text: string, table: (name: string) => DataFrame): DataFrame {
  const stmt = parseSelect(text);
  return planSelect(stmt, table(stmt.from.parts.join('.')), text);
}

/** Plans a parsed statement over the DataFrame of its FROM table. */
function planSelect(stmt: SelectStatement, source: DataFrame, sql: string): DataFrame {
  let columns: Set<string> | undefined;
  const hasColumn = (name: string): boolean => (columns ??= new Set(source.columns.map((c) => c.toLowerCase()))).has(name.toLowerCase());
  const qualified = qualifiedColumns(stmt, hasColumn);
  const items = stmt.items.map(qualified);
  let df = source;
  if (stmt.where !== undefined) df = df.filter(new Column(qualified(stmt.where)));

  const groupBy = stmt.groupBy.map((raw) => {
    const g = qualified(raw);
    return groupOrdinal(g, items, sql) ?? groupAlias(g, items, hasColumn) ?? g;
  });
  const aggregating = groupBy.length > 0 || items.some(isAggregate) || stmt.having !== undefined;
  const orders = stmt.orderBy.map((o) => ({ ...o, child: qualified(o.child) }));

  if (!aggregating) {
    df = df.select(...items.map((e) => new Column(e)));
  } else {
    const aggItems = items.filter(isAggregate);
    const hidden: Expr[] = [];
    const byName = new Map(aggItems.map((a) => [outputName(a.kind === 'alias' ? a.child : a), outputName(a)]));
    const having = stmt.having === undefined ? undefined : replaceAggregates(qualified(stmt.having), byName, hidden);
    for (let i = 0; i < orders.length; i++) {
      if (ordinal(orders[i]!.child) === undefined) orders[i] = { ...orders[i]!, child: replaceAggregates(orders[i]!.child, byName, hidden) };
    }
    // Spark allows GROUP BY without aggregates (distinct groups); the aggregation needs one, dropped again below.
    if (aggItems.length + hidden.length === 0) hidden.push({ kind: 'alias', child: { kind: 'call', name: 'count', args: [], distinct: false, star: true }, name: '__weir_group' });
    df = df.groupBy(...groupBy.map((g) => new Column(g))).agg(...[...aggItems, ...hidden].map((a) => new Column(a)));
    if (having !== undefined) df = df.filter(new Column(having));
    // Final projection in SELECT order: aggregates by their output names, other items over the group keys.
    df = df.select(...items.map((e) => new Column(isAggregate(e) ? fieldRef(outputName(e)) : overGroupKeys(e, groupBy, hasColumn, sql))));
  }
  if (stmt.distinct) df = df.distinct();
  if (orders.length > 0) {
    const projected = df;
    df = df.orderBy(...orders.map((o) => new Column(orderOrdinal(o, projected, sql))));
  }
  if (stmt.limit !== undefined) df = df.limit(stmt.limit);
  return df;
}

/**
 * Resolves `t.col` and `t.*` where `t` is the table's alias (or, without one, its name) to the table's own
 * columns, as Spark's qualified references: a qualifier match wins over a struct column `t` with a field `col`.
 */
function qualifiedColumns(stmt: SelectStatement, hasColumn: (name: string) => boolean): (e: Expr) => Expr {
  const qualifier = (stmt.from.alias ?? stmt.from.parts[stmt.from.parts.length - 1]!).toLowerCase();
  return (e) =>
    transformUp(e, (node) => {
      if (node.kind !== 'column' || node.parts === undefined || node.parts.length < 2 || node.parts[0]!.toLowerCase() !== qualifier) return node;
      const rest = node.parts.slice(1);
      if (rest.length === 1 && rest[0] === '*') return STAR;
      return hasColumn(rest[0]!) ? columnRef(rest) : node;
    });
}

/**
 * A non-aggregate SELECT item of a grouped query, over the aggregation's output: each subexpression that is a
 * group expression becomes a reference to its key column (`window.start` grouped by `window(...)` stays a field
 * of the key `window`), named as Spark names the item. A column of the table that is not grouped is Spark's
 * MISSING_AGGREGATION.
 */
function overGroupKeys(item: Expr, groupBy: readonly Expr[], hasColumn: (name: string) => boolean, sql: string): Expr {
  const keys = new Map(groupBy.map((g) => [prettySql(g).toLowerCase(), outputName(g)]));
  const inner = item.kind === 'alias' ? item.child : item;
  const over = transformUp(inner, (node) => {
    const key = node.kind === 'literal' ? undefined : keys.get(prettySql(node).toLowerCase());
    return key === undefined ? node : fieldRef(key);
  });
  const keyNames = new Set([...keys.values()].map((k) => k.toLowerCase()));
  for (const c of collectNodes(over, (n) => n.kind === 'column')) {
    const first = c.kind === 'column' ? (c.parts ?? [c.name])[0]! : '';
    if (first !== '*' && !keyNames.has(first.toLowerCase()) && hasColumn(first)) {
      const text = prettySql(inner);
      throw new WeirError(
        ErrorCodes.UNSUPPORTED_OPERATION,
        `[MISSING_AGGREGATION] The non-aggregating expression "${text}" is based on columns which are not participating in the GROUP BY clause.\nAdd the columns or the expression to the GROUP BY, aggregate the expression, or use "any_value(${text})" if you do not care which of the values within a group is returned. SQLSTATE: 42803`,
        { context: { sql, expression: text } },
      );
    }
  }
  if (item.kind === 'alias') return { ...item, child: over };
  // A rewritten item keeps its name (`hour(window.start)`, not `hour(start)`; `CITY` as written).
  return outputName(over) === outputName(inner) ? over : { kind: 'alias', child: over, name: outputName(inner) };
}

/** `*`, `t.*` or `s.*` in a SELECT list. */
function isStar(e: Expr): boolean {
  if (e.kind !== 'column') return false;
  const parts = e.parts ?? [e.name];
  return parts[parts.length - 1] === '*';
}

/** The position `n` of a bare integer literal (Spark's ordinal), else undefined. */
function ordinal(e: Expr): number | undefined {
  return e.kind === 'literal' && e.dataType.typeName === 'integer' && typeof e.value === 'number' ? e.value : undefined;
}

function positionError(clause: 'GROUP' | 'ORDER', n: number, size: number, sql: string): WeirError {
  return new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `[${clause}_BY_POS_OUT_OF_RANGE] ${clause} BY position ${n} is not in select list (valid range is [1, ${size}]). SQLSTATE: 42805`,
    { context: { sql, position: n } },
  );
}

/** `GROUP BY n`: the n-th SELECT item (without its alias); undefined when `g` is not a position. */
function groupOrdinal(g: Expr, items: readonly Expr[], sql: string): Expr | undefined {
  const n = ordinal(g);
  if (n === undefined) return undefined;
  if (items.some(isStar)) {
    throw new WeirError(
      ErrorCodes.UNSUPPORTED_OPERATION,
      '[STAR_GROUP_BY_POS] Star (*) is not allowed in a select list when GROUP BY an ordinal position is used. SQLSTATE: 0A000',
      { context: { sql } },
    );
  }
  if (n < 1 || n > items.length) throw positionError('GROUP', n, items.length, sql);
  const item = items[n - 1]!;
  const inner = item.kind === 'alias' ? item.child : item;
  if (isAggregate(inner)) {
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `[GROUP_BY_POS_AGGREGATE] GROUP BY ${n} refers to an expression ${prettySql(inner)} that contains an aggregate function. Aggregate functions are not allowed in GROUP BY. SQLSTATE: 42903`,
      { context: { sql, position: n } },
    );
  }
  return inner;
}

/**
 * `GROUP BY c` with `c` an alias of the SELECT list that is no column of the table (Spark's groupByAliases):
 * the aliased expression; undefined otherwise.
 */
function groupAlias(g: Expr, items: readonly Expr[], hasColumn: (name: string) => boolean): Expr | undefined {
  if (g.kind !== 'column' || (g.parts ?? [g.name]).length !== 1) return undefined;
  const name = (g.parts ?? [g.name])[0]!;
  if (name === '*' || hasColumn(name)) return undefined;
  const item = items.find((e) => e.kind === 'alias' && e.name.toLowerCase() === name.toLowerCase());
  return item?.kind === 'alias' && !isAggregate(item.child) ? item.child : undefined;
}

/** `ORDER BY n`: the n-th output column of the projection; other sort keys unchanged. */
function orderOrdinal(o: SortOrderExpr, projected: DataFrame, sql: string): Expr {
  const n = ordinal(o.child);
  if (n === undefined) return o;
  const columns = projected.columns;
  if (n < 1 || n > columns.length) throw positionError('ORDER', n, columns.length, sql);
  return { ...o, child: fieldRef(columns[n - 1]!) };
}

/**
 * Replaces aggregate calls (bottom-up) by references to the aggregate output columns: those of the SELECT list
 * by their output names (`byName`), others added to `hidden` under their own output names.
 */
function replaceAggregates(e: Expr, byName: Map<string, string>, hidden: Expr[]): Expr {
  return transformUp(e, (node) => {
    if (node.kind !== 'call' || !isAggregate(node)) return node;
    const key = outputName(node);
    let name = byName.get(key);
    if (name === undefined) {
      name = key;
      byName.set(key, name);
      hidden.push(node);
    }
    return fieldRef(name);
  });
}
