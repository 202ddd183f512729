/**
 * PySpark's `Column`: an immutable wrapper of an expression tree with Spark's operator methods.
 *
 * Invariants: every method returns a new Column and never changes `this`; a method argument that is not a
 * Column is a literal (`col('a').eq('x')` compares with the string 'x', as in PySpark), while the functions in
 * `weir-streams/functions` read a bare string as a column name. `toString()` is Spark's output name of the column.
 */
import { exprError, ExprErrorCodes } from './errorCodes';
import type { BinaryOp, CaseWhenExpr, Expr } from './Expr';
import { outputName } from './outputName';
import { literalOf } from './typeSupport';
import { DataType, parseDataType } from '../../values/types';

/** A value a Column method accepts besides a Column: a literal. */
export type Literal = string | number | boolean | bigint | Date | Uint8Array | null | undefined;

/** A Column, or a literal value. */
export type ColumnOrLiteral = Column | Literal | readonly Literal[];

/** The expression of a Column argument, a literal for anything else (an array becomes `array(...)`). */
export function toExpr(value: ColumnOrLiteral): Expr {
  if (value instanceof Column) return value.expr;
  if (Array.isArray(value)) {
    return { kind: 'call', name: 'array', args: (value as readonly Literal[]).map((v) => toExpr(v)), distinct: false };
  }
  return literalOf(value);
}

/**
 * A column expression (PySpark's `Column`).
 *
 * @example
 * ```ts
 * const c = col('a').plus(1).alias('b');
 * c.toString();                              // 'b'
 * col('a').plus(1).toString();               // '(a + 1)'
 * when(col('a').gt(1), 'x').otherwise('y').toString(); // 'CASE WHEN (a > 1) THEN x ELSE y END'
 * ```
 */
export class Column {
  constructor(readonly expr: Expr) {
    if (expr === null || typeof expr !== 'object' || typeof (expr as { kind?: unknown }).kind !== 'string') {
      throw exprError('INVALID_ARGUMENT', 'A Column wraps an expression tree; use col(), lit() or expr() to build one.', {});
    }
  }

  /** `expr AS name`; several names (`alias('k', 'v')`) name the columns of a generator such as `explode(map)`. */
  alias(...names: string[]): Column {
    if (names.length === 0 || names.some((n) => typeof n !== 'string')) {
      throw exprError('INVALID_ARGUMENT', 'alias() needs one or more column names.', {});
    }
    return new Column(names.length === 1 ? { kind: 'alias', child: this.expr, name: names[0]! } : { kind: 'alias', child: this.expr, name: names.join(', '), names });
  }

  /** Same as `alias`. */
  as(...names: string[]): Column {
    return this.alias(...names);
  }

  /** Same as `alias` (PySpark's `Column.name`). */
  name(...names: string[]): Column {
    return this.alias(...names);
  }

  /** `CAST(expr AS to)`; `to` is a DataType or a type string (`'int'`, `'array<string>'`). */
  cast(to: DataType | string): Column {
    const type = typeof to === 'string' ? parseDataType(to) : to;
    if (!(type instanceof DataType)) throw exprError('INVALID_ARGUMENT', 'cast() needs a DataType or a type string.', {});
    return new Column({ kind: 'cast', child: this.expr, to: type });
  }

  /** Same as `cast`. */
  astype(to: DataType | string): Column {
    return this.cast(to);
  }

  private binary(op: BinaryOp, other: ColumnOrLiteral): Column {
    return new Column({ kind: 'binary', op, left: this.expr, right: toExpr(other) });
  }

  /** `expr = other` (PySpark `==`). */
  eq(other: ColumnOrLiteral): Column {
    return this.binary('=', other);
  }
  /** `NOT (expr = other)` (PySpark `!=`). */
  neq(other: ColumnOrLiteral): Column {
    return this.binary('!=', other);
  }
  gt(other: ColumnOrLiteral): Column {
    return this.binary('>', other);
  }
  geq(other: ColumnOrLiteral): Column {
    return this.binary('>=', other);
  }
  lt(other: ColumnOrLiteral): Column {
    return this.binary('<', other);
  }
  leq(other: ColumnOrLiteral): Column {
    return this.binary('<=', other);
  }
  /** `expr <=> other`: null-safe equality (true when both are null). */
  eqNullSafe(other: ColumnOrLiteral): Column {
    return this.binary('<=>', other);
  }
  plus(other: ColumnOrLiteral): Column {
    return this.binary('+', other);
  }
  minus(other: ColumnOrLiteral): Column {
    return this.binary('-', other);
  }
  multiply(other: ColumnOrLiteral): Column {
    return this.binary('*', other);
  }
  /** `expr / other`: always fractional (DOUBLE, or DECIMAL for decimals); null when dividing by zero. */
  divide(other: ColumnOrLiteral): Column {
    return this.binary('/', other);
  }
  /** `expr % other`, with the sign of the dividend; null for a zero divisor. */
  mod(other: ColumnOrLiteral): Column {
    return this.binary('%', other);
  }
  /** Three-valued AND. */
  and(other: ColumnOrLiteral): Column {
    return this.binary('AND', other);
  }
  /** Three-valued OR. */
  or(other: ColumnOrLiteral): Column {
    return this.binary('OR', other);
  }
  /** `NOT expr` (PySpark `~`). */
  not(): Column {
    return new Column({ kind: 'unary', op: 'NOT', child: this.expr });
  }
  /** `-expr` (PySpark's unary minus, named `negative(expr)`). */
  negate(): Column {
    return new Column({ kind: 'unary', op: '-', child: this.expr, functionStyle: true });
  }
  bitwiseAND(other: ColumnOrLiteral): Column {
    return this.binary('&', other);
  }
  bitwiseOR(other: ColumnOrLiteral): Column {
    return this.binary('|', other);
  }
  bitwiseXOR(other: ColumnOrLiteral): Column {
    return this.binary('^', other);
  }

  isNull(): Column {
    return new Column({ kind: 'isNull', child: this.expr, negated: false });
  }
  isNotNull(): Column {
    return new Column({ kind: 'isNull', child: this.expr, negated: true });
  }
  /** `isnan(expr)`. */
  isNaN(): Column {
    return new Column({ kind: 'call', name: 'isnan', args: [this.expr], distinct: false });
  }

  /** `expr IN (values)`; accepts values or one array of values. */
  isin(...values: ColumnOrLiteral[]): Column {
    const list = values.length === 1 && Array.isArray(values[0]) ? (values[0] as readonly Literal[]) : values;
    return new Column({ kind: 'in', child: this.expr, list: list.map((v) => toExpr(v as ColumnOrLiteral)), negated: false });
  }

  /** `(expr >= low) AND (expr <= high)`, as PySpark builds it. */
  between(low: ColumnOrLiteral, high: ColumnOrLiteral): Column {
    return this.geq(low).and(this.leq(high));
  }

  /** SQL LIKE (`_` one character, `%` any run, `\` escapes). */
  like(pattern: string | Column): Column {
    return new Column({ kind: 'like', child: this.expr, pattern: toExpr(pattern), negated: false });
  }
  /** Case-insensitive LIKE. */
  ilike(pattern: string | Column): Column {
    return new Column({ kind: 'like', child: this.expr, pattern: toExpr(pattern), negated: false, ilike: true });
  }
  /** Regular-expression match anywhere in the string (Java regex syntax, as Spark's RLIKE). */
  rlike(pattern: string | Column): Column {
    return new Column({ kind: 'like', child: this.expr, pattern: toExpr(pattern), negated: false, rlike: true });
  }
  startswith(other: ColumnOrLiteral): Column {
    return new Column({ kind: 'call', name: 'startswith', args: [this.expr, toExpr(other)], distinct: false });
  }
  endswith(other: ColumnOrLiteral): Column {
    return new Column({ kind: 'call', name: 'endswith', args: [this.expr, toExpr(other)], distinct: false });
  }
  contains(other: ColumnOrLiteral): Column {
    return new Column({ kind: 'call', name: 'contains', args: [this.expr, toExpr(other)], distinct: false });
  }
  /** `substring(expr, pos, len)`. */
  substr(pos: number | Column, len: number | Column): Column {
    return new Column({ kind: 'call', name: 'substring', args: [this.expr, toExpr(pos), toExpr(len)], distinct: false });
  }

  /** A field of a struct column (`col('s').getField('a')`, named `s.a`). */
  getField(name: string): Column {
    return new Column({ kind: 'field', child: this.expr, name });
  }
  /** An array element (0-based), a map value, or a struct field (`col('arr').getItem(0)`, named `arr[0]`). */
  getItem(key: ColumnOrLiteral): Column {
    return new Column({ kind: 'subscript', child: this.expr, index: toExpr(key) });
  }

  /** Adds a `WHEN cond THEN value` branch to a column built by `when()`. */
  when(condition: Column, value: ColumnOrLiteral): Column {
    const e = this.expr;
    if (e.kind !== 'caseWhen' || e.otherwise !== undefined) {
      throw exprError('INVALID_ARGUMENT', 'when() can only be applied on a Column previously generated by when() function, and cannot be applied once otherwise() is applied.', {});
    }
    return new Column({ ...e, branches: [...e.branches, [condition.expr, toExpr(value)]] } satisfies CaseWhenExpr);
  }
  /** The `ELSE` value of a column built by `when()`. */
  otherwise(value: ColumnOrLiteral): Column {
    const e = this.expr;
    if (e.kind !== 'caseWhen' || e.otherwise !== undefined) {
      throw exprError('INVALID_ARGUMENT', 'otherwise() can only be applied once on a Column previously generated by when() function.', {});
    }
    return new Column({ ...e, otherwise: toExpr(value) });
  }

  /** Ascending, nulls first (Spark's default). */
  asc(): Column {
    return this.sort(true, true);
  }
  asc_nulls_first(): Column {
    return this.sort(true, true);
  }
  asc_nulls_last(): Column {
    return this.sort(true, false);
  }
  /** Descending, nulls last (Spark's default). */
  desc(): Column {
    return this.sort(false, false);
  }
  desc_nulls_first(): Column {
    return this.sort(false, true);
  }
  desc_nulls_last(): Column {
    return this.sort(false, false);
  }

  private sort(ascending: boolean, nullsFirst: boolean): Column {
    const child = this.expr.kind === 'sortOrder' ? this.expr.child : this.expr;
    return new Column({ kind: 'sortOrder', child, ascending, nullsFirst });
  }

  /** Spark's output name of this column: `word`, `(a + 1)`, `count(1)`, the alias when aliased. */
  toString(): string {
    return outputName(this.expr);
  }
}

/** Throws Spark's error for a bad column name string (`` col('`a') ``). */
export function invalidColumnName(name: string): Error {
  return exprError(
    ExprErrorCodes.PARSE_ERROR,
    `[INVALID_ATTRIBUTE_NAME_SYNTAX] Syntax error in the attribute name: ${name}. Check that backticks appear in pairs, a quoted string is a complete name part and use a backtick only inside quoted name parts. SQLSTATE: 42601`,
    { column: name },
  );
}
