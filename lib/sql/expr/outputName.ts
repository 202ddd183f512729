/**
 * Spark's auto-generated column names (`toPrettySQL` and the `ResolveAliases` rule), checked against PySpark
 * 4.0.1: `(a + 1)`, `count(1)`, `upper(word)`, `CAST((a + 1) AS STRING)`, `CASE WHEN (a > 1) THEN x ELSE y END`.
 *
 * Invariants: names depend only on the expression as written (never on data or schema), so the DataFrame API,
 * `selectExpr` and the planner agree on them; literals show unquoted (`concat(word, x)`), a top-level cast of a
 * column keeps the column's name, a nested column reference (`window.start`) is named by its last part.
 */
import type { BinaryExpr, CallExpr, Expr, LiteralExpr } from './Expr';
import { isArray, isBinary, isDate, isDecimal, isNull, isString, isTimestamp } from './typeSupport';
import { FloatType } from '../../values/types';

/** Functions that are table-generating: their output column is named `col` (Spark's generator output). */
export const GENERATOR_FUNCTIONS: ReadonlySet<string> = new Set(['explode', 'explode_outer']);

/**
 * The name Spark gives the column of `expr` in a projection when no alias is given.
 *
 * @example
 * ```ts
 * outputName(parseExpression('count(*)'));          // 'count(1)'
 * outputName(parseExpression('a + 1'));             // '(a + 1)'
 * outputName(parseExpression('CAST(x AS INT)'));    // 'x' (a cast of a column keeps its name)
 * outputName(parseExpression('window.start'));      // 'start'
 * ```
 */
export function outputName(expr: Expr): string {
  switch (expr.kind) {
    case 'alias':
      return expr.name;
    case 'column': {
      const parts = expr.parts ?? [expr.name];
      return parts[parts.length - 1]!;
    }
    case 'cast': {
      let inner: Expr = expr.child;
      while (inner.kind === 'cast') inner = inner.child;
      if (inner.kind === 'column' || inner.kind === 'alias') return outputName(inner);
      return prettySql(expr);
    }
    case 'call':
      if (GENERATOR_FUNCTIONS.has(expr.name)) return 'col';
      if (expr.name === 'window' || expr.name === 'session_window') return expr.name;
      return prettySql(expr);
    default:
      return prettySql(expr);
  }
}

/** Spark's `toPrettySQL`: the SQL text of an expression with attributes and literals shown bare. */
export function prettySql(expr: Expr): string {
  const p = prettySql;
  switch (expr.kind) {
    case 'literal':
      return literalSql(expr);
    case 'interval':
      return expr.display;
    case 'column':
      return (expr.parts ?? [expr.name]).join('.');
    case 'alias':
      return `${p(expr.child)} AS ${quoteAlias(expr.name)}`;
    case 'cast':
      return `${expr.try === true ? 'TRY_CAST' : 'CAST'}(${p(expr.child)} AS ${expr.to.sql()})`;
    case 'binary': {
      // Iterative along the left operands: a chain of 20,000 `OR`s is a tree 20,000 deep.
      const spine: BinaryExpr[] = [];
      let e: Expr = expr;
      while (e.kind === 'binary') {
        spine.push(e);
        e = e.left;
      }
      let l = p(e);
      for (let i = spine.length - 1; i >= 0; i--) l = binarySql(spine[i]!, l, p(spine[i]!.right));
      return l;
    }
    case 'unary':
      switch (expr.op) {
        case 'NOT':
          return `(NOT ${p(expr.child)})`;
        case '-':
          return expr.functionStyle === true ? `negative(${p(expr.child)})` : `(- ${p(expr.child)})`;
        case '+':
          return `(+ ${p(expr.child)})`;
        case '~':
          return `~${p(expr.child)}`;
      }
      break;
    case 'isNull':
      return `(${p(expr.child)} IS ${expr.negated ? 'NOT ' : ''}NULL)`;
    case 'in': {
      const s = `(${p(expr.child)} IN (${expr.list.map(p).join(', ')}))`;
      return expr.negated ? `(NOT ${s})` : s;
    }
    case 'between': {
      const s = `between(${p(expr.child)}, ${p(expr.low)}, ${p(expr.high)})`;
      return expr.negated ? `(NOT ${s})` : s;
    }
    case 'like': {
      let s: string;
      if (expr.rlike === true) s = `RLIKE(${p(expr.child)}, ${p(expr.pattern)})`;
      else if (expr.ilike === true) s = `ilike(${p(expr.child)}, ${p(expr.pattern)})`;
      else {
        const esc = expr.escape === undefined || expr.escape === '\\' ? '' : ` ESCAPE '${expr.escape}'`;
        s = `${p(expr.child)} LIKE ${p(expr.pattern)}${esc}`;
      }
      return expr.negated ? `(NOT ${s})` : s;
    }
    case 'caseWhen': {
      const branches = expr.branches.map(([c, v]) => ` WHEN ${p(c)} THEN ${p(v)}`).join('');
      const otherwise = expr.otherwise === undefined ? '' : ` ELSE ${p(expr.otherwise)}`;
      return `CASE${branches}${otherwise} END`;
    }
    case 'call':
      return callSql(expr);
    case 'field':
      return `${p(expr.child)}.${expr.name}`;
    case 'subscript':
      return `${p(expr.child)}[${p(expr.index)}]`;
    case 'sortOrder':
      return `${p(expr.child)} ${expr.ascending ? 'ASC' : 'DESC'} NULLS ${expr.nullsFirst ? 'FIRST' : 'LAST'}`;
  }
  return '';
}

/** The text of `expr` given the texts of its operands. */
function binarySql(expr: BinaryExpr, l: string, r: string): string {
  switch (expr.op) {
    case '==':
      return `(${l} = ${r})`;
    case '!=':
    case '<>':
      return `(NOT (${l} = ${r}))`;
    case '||':
      return `concat(${l}, ${r})`;
    case 'DIV':
      return `(${l} div ${r})`;
    case '+':
    case '-':
      if (expr.left.kind === 'interval' || expr.right.kind === 'interval') return `${l} ${expr.op} ${r}`;
      return `(${l} ${expr.op} ${r})`;
    default:
      return `(${l} ${expr.op} ${r})`;
  }
}

function quoteAlias(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

function callSql(call: CallExpr): string {
  const args = call.args.map(prettySql);
  if (call.display !== undefined) {
    // Placeholders U+0000..U+0009 stand for the arguments.
    let out = '';
    for (const c of call.display) {
      const code = c.charCodeAt(0);
      out += code <= 9 ? (args[code] ?? '') : c;
    }
    return out;
  }
  const name = call.name;
  if (call.star === true) return name === 'count' ? 'count(1)' : `${name}(*)`;
  const list = (xs: readonly string[]): string => `${name}(${call.distinct ? 'DISTINCT ' : ''}${xs.join(', ')})`;
  switch (name) {
    case 'isnull':
      return args.length === 1 ? `(${args[0]} IS NULL)` : list(args);
    case 'isnotnull':
      return args.length === 1 ? `(${args[0]} IS NOT NULL)` : list(args);
    case 'if':
      return `(IF(${args.join(', ')}))`;
    case 'first':
    case 'last':
    case 'any_value':
    case 'approx_count_distinct':
      return list(args.slice(0, 1));
    case 'from_json':
      return list(args.slice(0, 1));
    case 'split':
      return list(args.length === 2 ? [...args, '-1'] : args);
    case 'round':
    case 'bround':
      return list(args.length === 1 ? [...args, '0'] : args);
    case 'substring':
    case 'substr':
      return list(args.length === 2 ? [...args, '2147483647'] : args);
    case 'extract':
      return args.length === 2 ? `extract(${args[0]} FROM ${args[1]})` : list(args);
    case 'current_timestamp':
    case 'current_date':
    case 'now':
      return `${name}()`;
    case 'window':
    case 'session_window':
      // Spark replaces a time window by its output attribute.
      return name;
    case 'regexp_replace':
      return list(args.length === 3 ? [...args, '1'] : args);
    case 'unix_timestamp':
      return list(args.length === 1 ? [...args, 'yyyy-MM-dd HH:mm:ss'] : args);
    case 'from_unixtime':
      return list(args.length === 1 ? [...args, 'yyyy-MM-dd HH:mm:ss'] : args);
    default:
      return list(args);
  }
}

/** A literal as Spark's pretty SQL shows it: strings and numbers bare, `NULL`, `DATE '...'`, `X'..'`. */
export function literalSql(lit: LiteralExpr): string {
  const { value, dataType } = lit;
  if (value === null || value === undefined) return 'NULL';
  if (lit.text !== undefined) return lit.text;
  if (isString(dataType)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isTimestamp(dataType) && value instanceof Date) return `TIMESTAMP '${formatTimestampLiteral(value)}'`;
  if (isDate(dataType) && value instanceof Date) return `DATE '${value.toISOString().slice(0, 10)}'`;
  if (isBinary(dataType) && value instanceof Uint8Array) {
    return `X'${Array.from(value, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join('')}'`;
  }
  if (typeof value === 'number') {
    if (isDecimal(dataType)) return decimalString(value, dataType.scale);
    if (dataType instanceof FloatType) return javaFloatToString(value);
    if (dataType.typeName === 'double') return javaDoubleToString(value);
    return String(value);
  }
  if (isArray(dataType) && Array.isArray(value)) return `ARRAY(${value.map((v) => String(v)).join(', ')})`;
  if (isNull(dataType)) return 'NULL';
  return String(value);
}

/** `yyyy-MM-dd HH:mm:ss[.fff]` in UTC, as Spark prints timestamp literals. */
export function formatTimestampLiteral(d: Date): string {
  const iso = d.toISOString();
  const ms = d.getUTCMilliseconds();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return ms === 0 ? base : `${base}.${String(ms).padStart(3, '0').replace(/0+$/, '')}`;
}

/** A number with exactly `scale` digits after the point (Java's BigDecimal.toPlainString of a scaled value). */
export function decimalString(value: number, scale: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1e21) return BigInt(Math.round(value)).toString() + (scale > 0 ? `.${'0'.repeat(scale)}` : '');
  return value.toFixed(Math.min(scale, 100));
}

/**
 * Java's `Double.toString`: shortest round-trip digits, decimal notation for 1e-3 ≤ |v| < 1e7 (always with a
 * fraction digit: `1.0`), otherwise `d.dddE±n`.
 */
export function javaDoubleToString(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  return formatJava(v, v.toExponential());
}

/** Java's `Float.toString` for a float32 value held as a JS number (shortest digits that round-trip in float32). */
export function javaFloatToString(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const f = Math.fround(v);
  for (let digits = 1; digits <= 9; digits++) {
    const s = f.toExponential(digits - 1);
    if (Math.fround(Number(s)) === f) return formatJava(f, s);
  }
  return formatJava(f, f.toExponential());
}

function formatJava(v: number, exponential: string): string {
  const [mantissa, expText] = exponential.split('e') as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const abs = Math.abs(v);
  const sign = negative ? '-' : '';
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      return `${sign}${intPart}.${frac.length > 0 ? frac : '0'}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  const frac = digits.slice(1);
  return `${sign}${digits[0]}.${frac.length > 0 ? frac : '0'}E${exp}`;
}
