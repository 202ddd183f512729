/**
 * weir's expression tree: what `col('a') + 1`, `expr("count(*) AS n")` and `selectExpr(...)` build, before
 * resolution against a schema (Spark's unresolved Catalyst expressions).
 *
 * Invariants: nodes are plain, immutable data (a discriminated union on `kind`); nothing in a tree is a function
 * or evaluates anything; column names keep the user's spelling (Spark shows it in output names) and resolve
 * case-insensitively later, in `analyzer/resolve.ts`. Literal values are JS values of weir's row representation
 * (`Date` for TIMESTAMP, numbers for numeric types, `Uint8Array` for BINARY).
 */
import type { DataType } from '../../values/types';

/** A constant. `text` is the literal as written when a JS number cannot show it exactly (`9223372036854775807`). */
export interface LiteralExpr {
  readonly kind: 'literal';
  readonly value: unknown;
  readonly dataType: DataType;
  readonly text?: string;
}

/**
 * An interval constant (`INTERVAL 10 SECONDS`, `INTERVAL '1' HOUR`): Spark's CalendarInterval parts. Spark 3.2+
 * types these as ANSI day-time intervals; weir keeps the parts and adds them to timestamps.
 */
export interface IntervalExpr {
  readonly kind: 'interval';
  readonly months: number;
  readonly days: number;
  readonly micros: number;
  /** Spark's display of the literal: `INTERVAL '10' SECOND`. */
  readonly display: string;
}

/**
 * A column reference. `name` is the reference as the user wrote it (`'window.start'`, `` '`a.b`' ``, `'*'`,
 * `'t.col'`); `parts` is its parsed path (`['window', 'start']`, `['a.b']`). A node built without `parts` is
 * read leniently: its `name` first as one exact column name, then as a dotted path.
 */
export interface ColumnExpr {
  readonly kind: 'column';
  readonly name: string;
  readonly parts?: readonly string[];
}

/** `child AS name` (`names` for a multi-alias such as `explode(m) AS (k, v)`). */
export interface AliasExpr {
  readonly kind: 'alias';
  readonly child: Expr;
  readonly name: string;
  readonly names?: readonly string[];
}

/** `CAST(child AS to)`, `TRY_CAST(...)`, `child::to`. */
export interface CastExpr {
  readonly kind: 'cast';
  readonly child: Expr;
  readonly to: DataType;
  readonly try?: boolean;
}

/** Binary operators, as written (`==` and `=` are the same operator; so are `!=` and `<>`). */
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | 'DIV'
  | '=' | '==' | '<=>' | '!=' | '<>' | '<' | '<=' | '>' | '>='
  | 'AND' | 'OR' | '||'
  | '&' | '|' | '^';

export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

/** `NOT x`, `-x` (`negative` when built by the DataFrame API, as Spark names it), `+x`, `~x`. */
export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: 'NOT' | '-' | '+' | '~';
  readonly child: Expr;
  /** Set by `Column.negate`: Spark names the DataFrame API's minus `negative(x)` instead of `(- x)`. */
  readonly functionStyle?: boolean;
}

export interface IsNullExpr {
  readonly kind: 'isNull';
  readonly child: Expr;
  readonly negated: boolean;
}

export interface InExpr {
  readonly kind: 'in';
  readonly child: Expr;
  readonly list: readonly Expr[];
  readonly negated: boolean;
}

/** `child [NOT] BETWEEN low AND high` (SQL form; the DataFrame API builds `>= AND <=` as Spark does). */
export interface BetweenExpr {
  readonly kind: 'between';
  readonly child: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly negated: boolean;
}

/** `[NOT] LIKE` / `ILIKE` (with `escape`, default `\`) and `[NOT] RLIKE` / `REGEXP` (Java-style regex, find). */
export interface LikeExpr {
  readonly kind: 'like';
  readonly child: Expr;
  readonly pattern: Expr;
  readonly negated: boolean;
  readonly rlike?: boolean;
  readonly ilike?: boolean;
  readonly escape?: string;
}

/** `CASE WHEN c1 THEN v1 ... [ELSE e] END` (`CASE x WHEN ...` is rewritten to `x = ...` conditions, as Spark does). */
export interface CaseWhenExpr {
  readonly kind: 'caseWhen';
  readonly branches: ReadonlyArray<readonly [Expr, Expr]>;
  readonly otherwise?: Expr;
}

/**
 * A function call, `name` lower-cased. `count(*)` is `{ name: 'count', args: [], star: true }`. `distinct` for
 * `count(DISTINCT x)`. `display` overrides Spark's output name where the parser knows it (`TRIM(BOTH x FROM y)`).
 */
export interface CallExpr {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  readonly star?: boolean;
  readonly display?: string;
  /** The name as written when it differs from `name` (`UPPER`), for error messages. */
  readonly written?: string;
}

/** Struct field access on an expression (`col('s').getField('a')`, `f(x).a`, `s['a']`). */
export interface FieldExpr {
  readonly kind: 'field';
  readonly child: Expr;
  readonly name: string;
}

/** `child[index]`: array element (0-based), map value, or struct field by a string literal. */
export interface SubscriptExpr {
  readonly kind: 'subscript';
  readonly child: Expr;
  readonly index: Expr;
}

/** A sort key (`orderBy`): Spark's default for ASC is NULLS FIRST, for DESC NULLS LAST. */
export interface SortOrderExpr {
  readonly kind: 'sortOrder';
  readonly child: Expr;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

/** An expression tree. */
export type Expr =
  | LiteralExpr
  | IntervalExpr
  | ColumnExpr
  | AliasExpr
  | CastExpr
  | BinaryExpr
  | UnaryExpr
  | IsNullExpr
  | InExpr
  | BetweenExpr
  | LikeExpr
  | CaseWhenExpr
  | CallExpr
  | FieldExpr
  | SubscriptExpr
  | SortOrderExpr;

/** The direct children of a node, in evaluation order. */
export function childrenOf(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'literal':
    case 'interval':
    case 'column':
      return [];
    case 'alias':
    case 'cast':
    case 'unary':
    case 'isNull':
    case 'field':
    case 'sortOrder':
      return [expr.child];
    case 'binary':
      return [expr.left, expr.right];
    case 'in':
      return [expr.child, ...expr.list];
    case 'between':
      return [expr.child, expr.low, expr.high];
    case 'like':
      return [expr.child, expr.pattern];
    case 'caseWhen': {
      const out: Expr[] = [];
      for (const [c, v] of expr.branches) out.push(c, v);
      if (expr.otherwise !== undefined) out.push(expr.otherwise);
      return out;
    }
    case 'call':
      return expr.args;
    case 'subscript':
      return [expr.child, expr.index];
  }
}

/**
 * True when `predicate` holds for `expr` or any node below it (pre-order, stops at the first hit). Iterative: a
 * chain of 20,000 `OR`s is a tree 20,000 deep.
 */
export function someNode(expr: Expr, predicate: (e: Expr) => boolean): boolean {
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (predicate(e)) return true;
    const children = childrenOf(e);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return false;
}

/** Every node of the tree for which `predicate` holds, pre-order (iterative). */
export function collectNodes(expr: Expr, predicate: (e: Expr) => boolean): Expr[] {
  const out: Expr[] = [];
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (predicate(e)) out.push(e);
    const children = childrenOf(e);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

/** A copy of `expr` with its children (in `childrenOf` order) replaced by `c`. */
export function withChildren(expr: Expr, c: readonly Expr[]): Expr {
  switch (expr.kind) {
    case 'literal':
    case 'interval':
    case 'column':
      return expr;
    case 'alias':
    case 'cast':
    case 'unary':
    case 'isNull':
    case 'field':
    case 'sortOrder':
      return { ...expr, child: c[0]! };
    case 'binary':
      return { ...expr, left: c[0]!, right: c[1]! };
    case 'in':
      return { ...expr, child: c[0]!, list: c.slice(1) };
    case 'between':
      return { ...expr, child: c[0]!, low: c[1]!, high: c[2]! };
    case 'like':
      return { ...expr, child: c[0]!, pattern: c[1]! };
    case 'caseWhen': {
      const branches: [Expr, Expr][] = [];
      for (let i = 0; i < expr.branches.length; i++) branches.push([c[2 * i]!, c[2 * i + 1]!]);
      return {
        ...expr,
        branches,
        ...(expr.otherwise === undefined ? {} : { otherwise: c[2 * expr.branches.length]! }),
      };
    }
    case 'call':
      return { ...expr, args: [...c] };
    case 'subscript':
      return { ...expr, child: c[0]!, index: c[1]! };
  }
}

/**
 * Rebuilds the tree bottom-up, replacing each node by `f(node with rebuilt children)`. Returning the node
 * unchanged keeps it. Children are rebuilt left to right before their parent; iterative, so a tree as deep as a
 * long chain needs no deep stack.
 */
export function transformUp(expr: Expr, f: (e: Expr) => Expr): Expr {
  interface Frame { readonly expr: Expr; readonly children: readonly Expr[]; readonly done: Expr[] }
  const frame = (e: Expr): Frame => ({ expr: e, children: childrenOf(e), done: [] });
  const stack: Frame[] = [frame(expr)];
  for (;;) {
    const top = stack[stack.length - 1]!;
    if (top.done.length < top.children.length) {
      stack.push(frame(top.children[top.done.length]!));
      continue;
    }
    const rebuilt = f(top.children.length === 0 ? top.expr : withChildren(top.expr, top.done));
    stack.pop();
    if (stack.length === 0) return rebuilt;
    stack[stack.length - 1]!.done.push(rebuilt);
  }
}

/**
 * Splits a column reference the way Spark's `col()` does: dots separate parts, a backquoted part keeps its dots,
 * ``` `` ``` inside backquotes is one backquote. Returns null for an unclosed backquote or an empty part.
 */
export function splitColumnName(name: string): string[] | null {
  if (!name.includes('`')) {
    const parts = name.split('.');
    return parts.some((p) => p.length === 0) && name !== '' ? null : parts;
  }
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (quoted) {
      if (c === '`') {
        if (name[i + 1] === '`') {
          current += '`';
          i++;
        } else {
          quoted = false;
        }
      } else {
        current += c;
      }
    } else if (c === '`') {
      if (current.length > 0) return null;
      quoted = true;
      wasQuoted = true;
    } else if (c === '.') {
      if (current.length === 0 && !wasQuoted) return null;
      parts.push(current);
      current = '';
      wasQuoted = false;
    } else {
      if (wasQuoted) return null;
      current += c;
    }
  }
  if (quoted) return null;
  if (current.length === 0 && !wasQuoted) return null;
  parts.push(current);
  return parts;
}

/** Quotes a name part with backquotes when it is not a plain identifier (Spark's `quoteIfNeeded`). */
export function quoteIfNeeded(part: string): string {
  return /^[A-Za-z0-9_]+$/.test(part) ? part : `\`${part.replace(/`/g, '``')}\``;
}

/** A column reference to exactly the column called `name` (no dot splitting): for names taken from a schema. */
export function fieldRef(name: string): ColumnExpr {
  return { kind: 'column', name: quoteIfNeeded(name), parts: [name] };
}
