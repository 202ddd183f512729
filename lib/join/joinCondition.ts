/**
 * A join condition in the form the join operators run it, and what Spark derives from it for state cleanup
 * (StreamingJoinHelper / StreamingSymmetricHashJoinHelper).
 *
 * Invariants: pure functions only. A condition is equality keys (left column = right column) AND time bounds
 * (`left.a <op> right.b + offset`) AND an optional residual predicate over both rows; the time bounds are the
 * only part Spark's state-watermark derivation reads, and they give the same state watermarks as Spark's
 * `getStateValueWatermark` (a `<=`/`>=` bound is one millisecond tighter than `<`/`>`).
 */
import type { Row } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import { intervalToDelayMs, parseInterval } from '../util/interval';
import type { JoinType } from './joinType';

/** A comparison of a time bound. */
export type BoundOp = '<' | '<=' | '>' | '>=';

/** `left[leftColumn] <op> right[rightColumn] + offsetMs`. */
export interface TimeBound {
  readonly leftColumn: string;
  readonly op: BoundOp;
  readonly rightColumn: string;
  readonly offsetMs: number;
}

/** A time bound as users write it: the offset may be an interval string (`'-10 seconds'`, `'1 hour'`). */
export interface TimeBoundSpec {
  readonly left: string;
  readonly op: BoundOp;
  readonly right: string;
  readonly offset?: string | number;
}

/** The condition of a join, normalized. */
export interface JoinCondition {
  readonly leftKeys: readonly string[];
  readonly rightKeys: readonly string[];
  readonly timeBounds: readonly TimeBound[];
  /** Everything else of the condition over a pair of rows (Spark's post-join filter). */
  readonly residual?: (left: Row, right: Row) => boolean;
  /** Conjuncts over the left row only (Spark's pre-join filter of the left side). */
  readonly leftFilter?: (left: Row) => boolean;
  readonly rightFilter?: (right: Row) => boolean;
}

/** Milliseconds of an interval offset (`'-5 seconds'`, `'1 hour'`, or ms). */
export function offsetMs(offset: string | number | undefined): number {
  if (offset === undefined) return 0;
  if (typeof offset === 'number') return offset;
  const trimmed = offset.trim();
  const negative = trimmed.startsWith('-');
  const ms = intervalToDelayMs(parseInterval(negative ? trimmed.slice(1).trim() : trimmed));
  if (!Number.isFinite(ms)) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Invalid time bound offset ${offset}`, { context: { offset } });
  }
  return negative ? -ms : ms;
}

/** Normalizes user time bounds; `between` is `left BETWEEN right + lower AND right + upper`. */
export function timeBounds(
  bounds: readonly TimeBoundSpec[] = [],
  between?: { readonly left: string; readonly right: string; readonly lower: string | number; readonly upper: string | number },
): TimeBound[] {
  const out: TimeBound[] = bounds.map((b) => ({ leftColumn: b.left, op: b.op, rightColumn: b.right, offsetMs: offsetMs(b.offset) }));
  if (between) {
    out.push({ leftColumn: between.left, op: '>=', rightColumn: between.right, offsetMs: offsetMs(between.lower) });
    out.push({ leftColumn: between.left, op: '<=', rightColumn: between.right, offsetMs: offsetMs(between.upper) });
  }
  return out;
}

/** True when the pair satisfies the bound; a null time never does (SQL's null comparison). */
export function boundHolds(b: TimeBound, leftMs: number | null, rightMs: number | null): boolean {
  if (leftMs === null || rightMs === null) return false;
  const r = rightMs + b.offsetMs;
  switch (b.op) {
    case '<':
      return leftMs < r;
    case '<=':
      return leftMs <= r;
    case '>':
      return leftMs > r;
    case '>=':
      return leftMs >= r;
  }
}

/** Which side a state watermark is for. */
export type JoinSide = 'left' | 'right';

/**
 * How one side's state is cleaned up (Spark's JoinStateWatermarkPredicate): by the event time in the join key
 * (`key`: evict when that time <= watermark; a window key by its end) or by the row's event time compared with a
 * state watermark derived from the range condition (`value`: evict when eventTime <= watermark + offsetMs).
 */
export type StateCleanup =
  | { readonly kind: 'key'; readonly keyIndex: number }
  | { readonly kind: 'value'; readonly column: string; readonly offsetMs: number };

/**
 * The offset of `side`'s state watermark below the global watermark from the time bounds, or undefined when the
 * bounds give none (Spark's getStateValueWatermark with the other side's event time replaced by the watermark).
 * Needs the other side's event-time column to appear in the bound (its rows' times are > watermark).
 */
export function stateValueOffset(
  side: JoinSide,
  bounds: readonly TimeBound[],
  otherEventTimeColumn: string | undefined,
): number | undefined {
  if (otherEventTimeColumn === undefined) return undefined;
  let best: number | undefined;
  for (const b of bounds) {
    const otherColumn = side === 'left' ? b.rightColumn : b.leftColumn;
    if (otherColumn !== otherEventTimeColumn) continue;
    // Rewrite as "mine > other + c" (a lower bound of my time by the other side's), else no constraint.
    let c: number | undefined;
    let strict = false;
    if (side === 'left') {
      // left op right + off: a lower bound of left when op is > or >=.
      if (b.op === '>' || b.op === '>=') {
        c = b.offsetMs;
        strict = b.op === '>';
      }
    } else if (b.op === '<' || b.op === '<=') {
      // left < right + off  <=>  right > left - off
      c = -b.offsetMs;
      strict = b.op === '<';
    }
    if (c === undefined) continue;
    const value = strict ? c : c - 1;
    best = best === undefined ? value : Math.min(best, value);
  }
  return best;
}

/** What the join knows about each side's event time (its watermark column after `withWatermark`). */
export interface JoinSidesInfo {
  readonly leftEventTimeColumn: string | undefined;
  readonly rightEventTimeColumn: string | undefined;
}

/** The index of a join key whose left or right column is its side's event-time column (Spark: watermark in the join keys). */
export function watermarkKeyIndex(condition: Pick<JoinCondition, 'leftKeys' | 'rightKeys'>, info: JoinSidesInfo): number {
  for (let i = 0; i < condition.leftKeys.length; i += 1) {
    if (condition.leftKeys[i] === info.leftEventTimeColumn || condition.rightKeys[i] === info.rightEventTimeColumn) return i;
  }
  return -1;
}

/** Each side's state cleanup (Spark's getStateWatermarkPredicates). */
export function stateCleanup(
  condition: Pick<JoinCondition, 'leftKeys' | 'rightKeys' | 'timeBounds'>,
  info: JoinSidesInfo,
): { left: StateCleanup | undefined; right: StateCleanup | undefined } {
  const keyIndex = watermarkKeyIndex(condition, info);
  const one = (side: JoinSide): StateCleanup | undefined => {
    if (keyIndex >= 0) return { kind: 'key', keyIndex };
    const own = side === 'left' ? info.leftEventTimeColumn : info.rightEventTimeColumn;
    if (own === undefined) return undefined;
    const other = side === 'left' ? info.rightEventTimeColumn : info.leftEventTimeColumn;
    const offset = stateValueOffset(side, condition.timeBounds, other);
    return offset === undefined ? undefined : { kind: 'value', column: own, offsetMs: offset };
  };
  return { left: one('left'), right: one('right') };
}

/**
 * Spark's checkForStreamStreamJoinWatermark: outer and semi joins need the watermark in the join keys, or a
 * watermark on the nullable side and a range condition bounding the outer side's time by it.
 */
export function hasValidWatermarkForJoin(
  type: JoinType,
  condition: Pick<JoinCondition, 'leftKeys' | 'rightKeys' | 'timeBounds'>,
  info: JoinSidesInfo,
): boolean {
  if (watermarkKeyIndex(condition, info) >= 0) return true;
  const leftByRight = stateValueOffset('left', condition.timeBounds, info.rightEventTimeColumn) !== undefined;
  const rightByLeft = stateValueOffset('right', condition.timeBounds, info.leftEventTimeColumn) !== undefined;
  switch (type) {
    case 'leftOuter':
    case 'leftSemi':
      return leftByRight;
    case 'rightOuter':
      return rightByLeft;
    case 'fullOuter':
      return leftByRight || rightByLeft;
    default:
      return true;
  }
}
