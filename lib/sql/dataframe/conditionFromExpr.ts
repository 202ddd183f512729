/**
 * A DataFrame join condition (an expression tree) split the way Spark's planner splits it: equality keys
 * between a left and a right column (ExtractEquiJoinKeys), time bounds `leftTime <op> rightTime ± interval`
 * (what StreamingJoinHelper reads for state watermarks), conjuncts over one side only (pre-join filters) and
 * the rest (the post-join filter, evaluated over the pair).
 *
 * Invariants: conjuncts are split at AND and `BETWEEN` becomes `>= AND <=`, as Spark's optimizer does; a column
 * resolves to the side whose schema has it (case-insensitively), and a name both sides have is ambiguous unless
 * qualified by the side's alias; nothing is evaluated here, the compiled closures come from lib/sql/expr.
 */
import type { Row } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';
import type { BinaryExpr, ColumnExpr, Expr, IntervalExpr } from '../expr/Expr';
import { compileExpr } from '../expr/analyze';
import { StructType } from '../../values/types';
import type { BoundOp, JoinCondition, TimeBound } from '../../join/joinCondition';

/** The two sides a condition is split against. */
export interface JoinSchemas {
  readonly left: StructType;
  readonly right: StructType;
  /** Aliases of the sides (`df.alias('l')`), for qualified references `l.col`. */
  readonly leftAlias?: string;
  readonly rightAlias?: string;
}

type Side = 'left' | 'right' | 'both' | 'none';

function conjuncts(e: Expr): Expr[] {
  if (e.kind === 'binary' && e.op === 'AND') return [...conjuncts(e.left), ...conjuncts(e.right)];
  if (e.kind === 'between' && !e.negated) {
    return [
      { kind: 'binary', op: '>=', left: e.child, right: e.low } as BinaryExpr,
      { kind: 'binary', op: '<=', left: e.child, right: e.high } as BinaryExpr,
    ];
  }
  return [e];
}

function columnParts(c: ColumnExpr): string[] {
  return c.parts ? [...c.parts] : c.name.split('.');
}

/** The side a column reference belongs to, and its field name there. */
function resolveColumn(c: ColumnExpr, s: JoinSchemas): { side: 'left' | 'right'; name: string } {
  const parts = columnParts(c);
  const lower = (x: string | undefined): string | undefined => x?.toLowerCase();
  if (parts.length === 2) {
    if (s.leftAlias !== undefined && lower(parts[0]) === lower(s.leftAlias)) {
      const f = s.left.getField(parts[1]!);
      if (f) return { side: 'left', name: f.name };
    }
    if (s.rightAlias !== undefined && lower(parts[0]) === lower(s.rightAlias)) {
      const f = s.right.getField(parts[1]!);
      if (f) return { side: 'right', name: f.name };
    }
  }
  const name = parts.length === 1 ? parts[0]! : c.name;
  const l = s.left.getField(name);
  const r = s.right.getField(name);
  if (l && r) {
    throw new WeirError(
      ErrorCodes.UNSUPPORTED_OPERATION,
      `[AMBIGUOUS_REFERENCE] Reference \`${name}\` is ambiguous, could be: [\`${s.leftAlias ?? 'left'}\`.\`${l.name}\`, \`${s.rightAlias ?? 'right'}\`.\`${r.name}\`].`,
      { context: { column: name } },
    );
  }
  if (l) return { side: 'left', name: l.name };
  if (r) return { side: 'right', name: r.name };
  // Unknown: let the compiler raise Spark's UNRESOLVED_COLUMN against both sides' columns.
  compileExpr(c, new StructType([...s.left.fields, ...s.right.fields]));
  throw new WeirError(ErrorCodes.UNRESOLVED_COLUMN, `Column ${c.name} cannot be resolved`, { context: { column: c.name } });
}

function sideOf(e: Expr, s: JoinSchemas): Side {
  let side: Side = 'none';
  const visit = (x: unknown): void => {
    if (x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      x.forEach(visit);
      return;
    }
    const node = x as { kind?: string };
    if (node.kind === 'column') {
      const r = resolveColumn(node as ColumnExpr, s).side;
      side = side === 'none' || side === r ? r : 'both';
      return;
    }
    for (const v of Object.values(node)) if (v !== null && typeof v === 'object') visit(v);
  };
  visit(e);
  return side;
}

/** `col`, `col + interval`, `col - interval` → the column and the offset in ms. */
function columnPlusInterval(e: Expr): { column: ColumnExpr; offsetMs: number } | undefined {
  if (e.kind === 'column') return { column: e, offsetMs: 0 };
  if (e.kind === 'cast') return columnPlusInterval(e.child);
  if (e.kind === 'binary' && (e.op === '+' || e.op === '-')) {
    const base = columnPlusInterval(e.left);
    const interval = e.right.kind === 'interval' ? (e.right as IntervalExpr) : undefined;
    if (base && interval && interval.months === 0) {
      const ms = (interval.days * 86_400_000_000 + interval.micros) / 1000;
      return { column: base.column, offsetMs: base.offsetMs + (e.op === '+' ? ms : -ms) };
    }
  }
  return undefined;
}

const FLIP: Record<BoundOp, BoundOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** `a <op> b` with a on one side and b on the other, as a TimeBound (left column first), or undefined. */
function timeBound(e: BinaryExpr, s: JoinSchemas): TimeBound | undefined {
  if (!(e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=')) return undefined;
  const a = columnPlusInterval(e.left);
  const b = columnPlusInterval(e.right);
  if (!a || !b) return undefined;
  const sa = resolveColumn(a.column, s);
  const sb = resolveColumn(b.column, s);
  if (sa.side === sb.side) return undefined;
  const isTime = (side: 'left' | 'right', name: string): boolean => {
    const t = (side === 'left' ? s.left : s.right).getField(name)?.dataType.typeName;
    return t === 'timestamp' || t === 'timestamp_ntz' || t === 'date';
  };
  if (!isTime(sa.side, sa.name) || !isTime(sb.side, sb.name)) return undefined;
  // a + oa <op> b + ob  <=>  a <op> b + (ob - oa)
  if (sa.side === 'left') return { leftColumn: sa.name, op: e.op, rightColumn: sb.name, offsetMs: b.offsetMs - a.offsetMs };
  // right + oa <op> left + ob  <=>  left <flip> right + (oa - ob)
  return { leftColumn: sb.name, op: FLIP[e.op], rightColumn: sa.name, offsetMs: a.offsetMs - b.offsetMs };
}

const ZERO_CTX = { batchTimestampMs: 0 };

/** Splits `condition` into keys, time bounds, per-side filters and the rest. */
export function joinConditionFromExpr(condition: Expr | undefined, s: JoinSchemas): JoinCondition {
  const leftKeys: string[] = [];
  const rightKeys: string[] = [];
  const bounds: TimeBound[] = [];
  const leftOnly: Expr[] = [];
  const rightOnly: Expr[] = [];
  const rest: Expr[] = [];
  for (const c of condition === undefined ? [] : conjuncts(condition)) {
    if (c.kind === 'binary' && (c.op === '=' || c.op === '==') && c.left.kind === 'column' && c.right.kind === 'column') {
      const a = resolveColumn(c.left, s);
      const b = resolveColumn(c.right, s);
      if (a.side !== b.side) {
        leftKeys.push(a.side === 'left' ? a.name : b.name);
        rightKeys.push(a.side === 'left' ? b.name : a.name);
        continue;
      }
    }
    if (c.kind === 'binary') {
      const bound = timeBound(c, s);
      if (bound) {
        bounds.push(bound);
        continue;
      }
    }
    const side = sideOf(c, s);
    if (side === 'left') leftOnly.push(c);
    else if (side === 'right') rightOnly.push(c);
    else rest.push(c);
  }
  const and = (list: Expr[]): Expr => list.reduce((a, b) => ({ kind: 'binary', op: 'AND', left: a, right: b }) as BinaryExpr);
  const out: { -readonly [K in keyof JoinCondition]: JoinCondition[K] } = { leftKeys, rightKeys, timeBounds: bounds };
  if (leftOnly.length > 0) {
    const f = compileExpr(and(leftOnly), s.left).evaluate;
    out.leftFilter = (row: Row) => f(row, ZERO_CTX) === true;
  }
  if (rightOnly.length > 0) {
    const f = compileExpr(and(rightOnly), s.right).evaluate;
    out.rightFilter = (row: Row) => f(row, ZERO_CTX) === true;
  }
  if (rest.length > 0) {
    const f = compileExpr(and(rest), new StructType([...s.left.fields, ...s.right.fields])).evaluate;
    out.residual = (l: Row, r: Row) => f({ ...l, ...r }, ZERO_CTX) === true;
  }
  return out;
}
