/**
 * `session.sql('SELECT ...')`: a SELECT statement over temp views and memory-sink tables, parsed by
 * node-sql-parser (Hive dialect, the closest to Spark SQL it has) and planned as DataFrame calls, so SQL and the
 * DataFrame API share one planner and one expression language.
 *
 * Invariants: only SELECT is accepted; every expression is printed back to SQL by node-sql-parser and parsed by
 * weir's own expression parser (never evaluated as JavaScript); aggregate calls in HAVING and ORDER BY refer
 * to the aggregates of the SELECT list (or hidden ones that are dropped again).
 */
import { Parser } from 'node-sql-parser';
import { ErrorCodes, WeirError } from '../../errors';
import { Column } from '../expr/Column';
import type { Expr } from '../expr/Expr';
import { isAggregate, outputName } from '../expr/analyze';
import { parseExpression } from '../expr/parseExpression';
import type { DataFrame } from './DataFrame';

const parser = new Parser();
const DIALECT = { database: 'hive' } as const;

interface SelectAst {
  type: string;
  distinct?: { type?: string } | string | null;
  columns: Array<{ expr: unknown; as?: string | null }> | '*';
  from?: Array<{ table?: string; as?: string | null; expr?: unknown }> | null;
  where?: unknown;
  groupby?: { columns?: unknown[] } | unknown[] | null;
  having?: unknown;
  orderby?: Array<{ expr: unknown; type?: 'ASC' | 'DESC' | null; nulls?: string | null }> | null;
  limit?: { value?: Array<{ value: number }> } | null;
}

function sqlError(message: string, context: Record<string, unknown>): WeirError {
  return new WeirError(ErrorCodes.PARSE_ERROR, message, { context });
}

function exprText(node: unknown): string {
  return parser.exprToSQL(node as never, DIALECT);
}

/**
 * node-sql-parser reads a bare `time`, `date` or `timestamp` as a call without parentheses (`TIME`); in Spark SQL
 * those words alone are column names (`ORDER BY time`), so such calls become column references again.
 */
const BARE_TYPE_WORDS = new Set(['TIME', 'DATE', 'TIMESTAMP']);

function columnsForBareTypeWords(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(columnsForBareTypeWords);
  if (node === null || typeof node !== 'object') return node;
  const n = node as { type?: string; args_parentheses?: boolean; args?: { value?: unknown[] }; name?: { name?: Array<{ value?: string }> } };
  const name = n.name?.name?.length === 1 ? n.name.name[0]!.value : undefined;
  if (n.type === 'function' && n.args_parentheses === false && (n.args?.value ?? []).length === 0 && name !== undefined && BARE_TYPE_WORDS.has(name)) {
    return { type: 'column_ref', table: null, column: name.toLowerCase() };
  }
  return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, columnsForBareTypeWords(v)]));
}

function toExpr(node: unknown): Expr {
  return parseExpression(exprText(columnsForBareTypeWords(node)));
}

/**
 * Quotes `end` after a dot (`window.end`): Spark SQL reads it as a field name, node-sql-parser as the keyword END
 * and fails. String literals and quoted identifiers are copied unchanged.
 */
function quoteKeywordFields(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' && c !== '`' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const field = c === '.' && /[\w`]/.test(text[i - 1] ?? '') ? /^\.(end)(?![\w`])/i.exec(text.slice(i, i + 5)) : null;
    if (field) {
      out += `.\`${field[1]}\``;
      i += field[0].length;
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}

/** Plans `text` against the session's tables. */
export function planSql(text: string, table: (name: string) => DataFrame): DataFrame {
  let ast: SelectAst | SelectAst[];
  try {
    ast = parser.astify(quoteKeywordFields(text), DIALECT) as unknown as SelectAst | SelectAst[];
  } catch (e) {
    throw sqlError(`[PARSE_SYNTAX_ERROR] Syntax error in SQL statement: ${(e as Error).message.split('\n')[0]}`, { sql: text });
  }
  const stmt = Array.isArray(ast) ? ast : [ast];
  if (stmt.length !== 1 || stmt[0]!.type !== 'select') {
    throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, 'Only a single SELECT statement is supported by session.sql()', {
      context: { sql: text },
    });
  }
  const select = stmt[0]!;
  const from = select.from ?? [];
  if (from.length !== 1 || typeof from[0]!.table !== 'string') {
    throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, 'session.sql() supports SELECT ... FROM exactly one table or view (joins come later)', {
      context: { sql: text },
    });
  }
  let df = table(from[0]!.table!);
  if (select.where) df = df.filter(new Column(toExpr(select.where)));

  const items: Expr[] =
    select.columns === '*'
      ? [{ kind: 'column', name: '*' } as Expr]
      : select.columns.map((c) => {
          const e = (c.expr as { type?: string; column?: string }).type === 'column_ref' && (c.expr as { column?: string }).column === '*'
            ? ({ kind: 'column', name: '*' } as Expr)
            : toExpr(c.expr);
          return c.as ? ({ kind: 'alias', child: e, name: c.as } as unknown as Expr) : e;
        });
  const groupNodes = Array.isArray(select.groupby) ? select.groupby : (select.groupby?.columns ?? []);
  const groupBy = groupNodes.map(toExpr);
  const aggregating = groupBy.length > 0 || items.some(isAggregate) || select.having !== undefined && select.having !== null;

  if (!aggregating) {
    df = df.select(...items.map((e) => new Column(e)));
  } else {
    const names = (e: Expr) => (e.kind === 'alias' ? e.name : outputName(e));
    const aggItems = items.filter(isAggregate);
    const hidden: Expr[] = [];
    // HAVING: aggregates not in the SELECT list become hidden aggregates, dropped after the filter.
    let having: Expr | undefined;
    if (select.having) having = toExpr(select.having);
    const known = new Set(aggItems.map((a) => outputName(a.kind === 'alias' ? a.child : a)));
    const collectAggregates = (e: unknown): void => {
      if (e === null || typeof e !== 'object') return;
      const node = e as Expr;
      if (node.kind === 'call' && isAggregate(node)) {
        const n = outputName(node);
        if (!known.has(n)) {
          known.add(n);
          hidden.push(node);
        }
        return;
      }
      for (const v of Object.values(e as Record<string, unknown>)) (Array.isArray(v) ? v : [v]).forEach(collectAggregates);
    };
    if (having) collectAggregates(having);
    df = df.groupBy(...groupBy.map((g) => new Column(g))).agg(...[...aggItems, ...hidden].map((a) => new Column(a)));
    if (having) df = df.filter(new Column(replaceAggregates(having, aggItems)));
    // Final projection in SELECT order; group keys by their output names.
    df = df.select(
      ...items.map((e) => {
        if (isAggregate(e)) return new Column({ kind: 'column', name: names(e) } as Expr);
        const inner = e.kind === 'alias' ? e.child : e;
        const ref = new Column({ kind: 'column', name: outputName(inner) } as Expr);
        return e.kind === 'alias' ? ref.alias(e.name) : ref;
      }),
    );
  }
  if (select.orderby && select.orderby.length > 0) {
    df = df.orderBy(
      ...select.orderby.map((o) => {
        const c = new Column(toExpr(o.expr));
        return o.type === 'DESC' ? c.desc() : c.asc();
      }),
    );
  }
  const limit = select.limit?.value?.[0]?.value;
  if (limit !== undefined) df = df.limit(Number(limit));
  return df;
}

/** Replaces aggregate calls in a HAVING condition by references to the aggregate output columns. */
function replaceAggregates(e: Expr, aggItems: readonly Expr[]): Expr {
  const byName = new Map(aggItems.map((a) => [outputName(a.kind === 'alias' ? a.child : a), a.kind === 'alias' ? a.name : outputName(a)]));
  const walk = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const n = node as Expr;
    if (n.kind === 'call' && isAggregate(n)) {
      const name = byName.get(outputName(n)) ?? outputName(n);
      return { kind: 'column', name };
    }
    if (Array.isArray(node)) return node.map(walk);
    // Only expression nodes are rebuilt; values inside them (data types, dates) are kept as they are.
    if (typeof (node as { kind?: unknown }).kind !== 'string') return node;
    return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, walk(v)]));
  };
  return walk(e) as Expr;
}
