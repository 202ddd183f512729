/**
 * Star expansion, as Spark's analyzer does it: `*` is every column of the input, `s.*` every field of the struct
 * column `s`, both in a select list and among the arguments of a function (`struct(*)`, `to_json(struct("*"))`,
 * `concat(a.*)`); `count(*)` is not a star to expand (it counts rows).
 *
 * Invariant: the expanded expressions are plain column references (`s.*` gives `s.f AS f` per field), in schema
 * order, so everything after expansion is ordinary analysis; a star on something that is not a struct fails with
 * Spark's message.
 */
import { ErrorCodes, WeirError } from '../../errors';
import { StructType } from '../../values/types';
import { splitColumnName, type AliasExpr, type ColumnExpr, type Expr } from './Expr';
import { compileExpr } from './compile/compileExpr';

/** The name parts of a column reference (a reference built from a string, `col('o.*')`, has none yet). */
function partsOf(e: ColumnExpr): readonly string[] {
  return e.parts ?? splitColumnName(e.name) ?? [e.name];
}

function isStar(e: Expr): e is ColumnExpr {
  if (e.kind !== 'column') return false;
  if (e.name === '*') return true;
  const parts = partsOf(e);
  return parts.length > 1 && parts[parts.length - 1] === '*';
}

function columnOf(name: string): ColumnExpr {
  return { kind: 'column', name, parts: [name] };
}

/** The expressions a star stands for. */
function expandStar(star: ColumnExpr, schema: StructType): Expr[] {
  const parts = partsOf(star);
  if (parts.length <= 1) return schema.fields.map((f) => columnOf(f.name));
  const prefix = parts.slice(0, -1);
  const target: ColumnExpr = { kind: 'column', name: prefix.join('.'), parts: prefix };
  const dataType = compileExpr(target, schema).dataType;
  if (!(dataType instanceof StructType)) {
    throw new WeirError(
      ErrorCodes.DATATYPE_MISMATCH,
      `Can only star expand struct data types. Attribute: \`ArrayBuffer(${prefix.join(', ')})\`.`,
      { context: { column: star.name, dataType: dataType.simpleString() } },
    );
  }
  return dataType.fields.map(
    (f): AliasExpr => ({ kind: 'alias', name: f.name, child: { kind: 'column', name: [...prefix, f.name].join('.'), parts: [...prefix, f.name] } }),
  );
}

/** `expr` with the stars among function arguments expanded (recursively); `expr` itself when it has none. */
function expandInside(expr: Expr, schema: StructType): Expr {
  switch (expr.kind) {
    case 'call': {
      if (expr.star === true && expr.name !== 'count') {
        // SQL `struct(*)`: the parser marks a lone `*` argument.
        return { ...expr, star: false, args: schema.fields.map((f) => columnOf(f.name)) };
      }
      let changed = false;
      const args: Expr[] = [];
      for (const a of expr.args) {
        if (isStar(a) && expr.name !== 'count') {
          args.push(...expandStar(a, schema));
          changed = true;
        } else {
          const x = expandInside(a, schema);
          if (x !== a) changed = true;
          args.push(x);
        }
      }
      return changed ? { ...expr, args } : expr;
    }
    case 'alias': {
      const child = expandInside(expr.child, schema);
      return child === expr.child ? expr : { ...expr, child };
    }
    case 'cast': {
      const child = expandInside(expr.child, schema);
      return child === expr.child ? expr : { ...expr, child };
    }
    default:
      return expr;
  }
}

/** The select list `exprs` with every star expanded against `schema`. */
export function expandStars(exprs: readonly Expr[], schema: StructType): Expr[] {
  const out: Expr[] = [];
  for (const e of exprs) {
    if (isStar(e)) out.push(...expandStar(e, schema));
    else out.push(expandInside(e, schema));
  }
  return out;
}
