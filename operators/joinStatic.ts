/**
 * `joinStatic(staticRows, options)`: joins each micro-batch with a static (batch) relation, stateless (Spark's
 * stream-static join: the static side is a broadcast/hash join build side).
 *
 * Invariants: the static rows are loaded once, on the first batch, and their hash index reused by every later
 * batch (a restarted query loads them again); with `reload: true` they are loaded again for every batch. No
 * state store is used and nothing about the stream is kept between batches. Spark's rules for which join types
 * may have a static side are checked when the operator is built.
 */
import { concatMap, type OperatorFunction } from 'rxjs';
import type { MaybePromise, MicroBatch, Row } from '../lib/contracts';
import { ErrorCodes, WeirError } from '../lib/errors';
import { checkStreamStaticJoin } from '../lib/join/checkJoin';
import { joinedRowBuilder } from '../lib/join/joinedRow';
import { parseJoinType, type JoinType } from '../lib/join/joinType';
import { toBinaryString } from '../lib/state/binaryString';
import { encodeKey, type KeyPart } from '../lib/state/keyEncoding';
import { describeOperator } from './describeOperator';
import { fromMaybe, then } from './internal/maybe';
import { withChanges } from './internal/lazyRows';

/** Options of {@link joinStatic}. */
export interface JoinStaticOptions {
  /** Spark's join type names. Default inner. */
  readonly how?: string;
  /** Which side streams: `'left'` (default; the static relation is the right side) or `'right'`. */
  readonly streamSide?: 'left' | 'right';
  /** Equally named key columns, output once. */
  readonly on?: string | readonly string[];
  /** Key columns of the left / right side, pairwise equal. */
  readonly leftKeys?: readonly string[];
  readonly rightKeys?: readonly string[];
  /** The rest of the condition over (left row, right row). */
  readonly where?: (left: Row, right: Row) => boolean;
  /** Columns of each side, for the nulls of outer rows. */
  readonly leftColumns?: readonly string[];
  readonly rightColumns?: readonly string[];
  /** Load the static rows again for every batch (Spark re-reads a file-backed static side per batch). */
  readonly reload?: boolean;
}

function keyPart(v: unknown): KeyPart {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'bigint') return Number(v);
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof Date ? x.getTime() : x));
}

/** The in-batch identity of a row's key, or undefined when a key is null (SQL: null never equals). */
function keyId(row: Row, columns: readonly string[]): string | undefined {
  const parts: KeyPart[] = [];
  for (const c of columns) {
    const p = keyPart(row[c]);
    if (p === null) return undefined;
    parts.push(p);
  }
  return toBinaryString(encodeKey(parts));
}

interface StaticIndex {
  readonly rows: readonly Row[];
  readonly byKey: Map<string, Row[]>;
}

function indexRows(rows: readonly Row[], keys: readonly string[]): StaticIndex {
  const byKey = new Map<string, Row[]>();
  for (const r of rows) {
    const id = keyId(r, keys);
    if (id === undefined) continue;
    const list = byKey.get(id);
    if (list) list.push(r);
    else byKey.set(id, [r]);
  }
  return { rows, byKey };
}

/** A join of each batch with static rows (a normalized plan; the DataFrame planner builds it too). */
export interface StaticJoinPlan {
  readonly joinType: JoinType;
  readonly streamSide: 'left' | 'right';
  readonly leftKeys: readonly string[];
  readonly rightKeys: readonly string[];
  readonly using: readonly string[];
  readonly residual?: (left: Row, right: Row) => boolean;
  readonly leftColumns?: readonly string[];
  readonly rightColumns?: readonly string[];
  readonly reload: boolean;
  /**
   * Both sides are batch DataFrames (a batch join run once): the static side's rows that matched nothing are
   * output too, for right and full outer joins, and the stream-static rules do not apply.
   */
  readonly batch?: boolean;
}

/** Runs a normalized stream-static join plan. */
export function staticJoinOperator(
  staticRows: readonly Row[] | ((batch: MicroBatch<Row>) => MaybePromise<readonly Row[]>),
  plan: StaticJoinPlan,
): OperatorFunction<MicroBatch<Row>, MicroBatch<Row>> {
  const { joinType, streamSide, leftKeys, rightKeys, residual, reload, batch = false } = plan;
  if (!batch) checkStreamStaticJoin(joinType, streamSide);
  const output = joinedRowBuilder(joinType, {
    using: plan.using,
    ...(plan.leftColumns ? { leftColumns: plan.leftColumns } : {}),
    ...(plan.rightColumns ? { rightColumns: plan.rightColumns } : {}),
  });
  const streamKeys = streamSide === 'left' ? leftKeys : rightKeys;
  const staticKeys = streamSide === 'left' ? rightKeys : leftKeys;
  const load = typeof staticRows === 'function' ? staticRows : () => staticRows;
  let cached: StaticIndex | undefined;
  const index = (batch: MicroBatch<Row>): MaybePromise<StaticIndex> => {
    if (cached !== undefined && !reload) return cached;
    return then(load(batch), (rows) => {
      cached = indexRows(rows, staticKeys);
      return cached;
    });
  };
  const cross = leftKeys.length === 0;
  const outerStream = (streamSide === 'left' && joinType === 'leftOuter') || (streamSide === 'right' && joinType === 'rightOuter');

  const outerStatic = batch && (joinType === 'rightOuter' || joinType === 'fullOuter');
  const fullStream = batch && joinType === 'fullOuter';
  const joinRows = (rows: readonly Row[], idx: StaticIndex): Row[] => {
    const out: Row[] = [];
    const matchedStatic = outerStatic ? new Set<Row>() : undefined;
    for (const s of rows) {
      const id = cross ? '' : keyId(s, streamKeys);
      const candidates = cross ? idx.rows : id === undefined ? undefined : idx.byKey.get(id);
      let matched = false;
      if (candidates !== undefined) {
        for (const t of candidates) {
          const l = streamSide === 'left' ? s : t;
          const r = streamSide === 'left' ? t : s;
          if (residual !== undefined && residual(l, r) !== true) continue;
          matched = true;
          matchedStatic?.add(t);
          if (joinType === 'leftSemi' || joinType === 'leftAnti') break;
          out.push(output.both(l, r));
        }
      }
      if (joinType === 'leftSemi' && matched) out.push(s);
      else if (joinType === 'leftAnti' && !matched) out.push(s);
      else if ((outerStream || fullStream) && !matched) out.push(streamSide === 'left' ? output.leftOnly(s) : output.rightOnly(s));
    }
    if (matchedStatic !== undefined) for (const t of idx.rows) if (!matchedStatic.has(t)) out.push(output.rightOnly(t));
    return out;
  };

  return describeOperator(
    `BroadcastHashJoin ${joinType} stream ${streamSide} [${leftKeys.map((k, i) => (k === rightKeys[i] ? k : `${k} = ${rightKeys[i]}`)).join(', ')}]`,
    concatMap((batch: MicroBatch<Row>) =>
      fromMaybe(() => then(index(batch), (idx) => withChanges(batch, { rows: joinRows(batch.rows, idx) }))),
    ),
    (state) => state,
  );
}

/**
 * Joins every batch with static rows (an array, or a function loading them, called once; again per batch with
 * `reload: true`). Stream on the left: inner, left outer, left semi, left anti; stream on the right: inner, right
 * outer. Other combinations throw Spark's analysis error.
 *
 * @example
 * pipeline: [joinStatic(() => loadAds(), { how: 'left_outer', leftKeys: ['adId'], rightKeys: ['id'] })]
 */
export function joinStatic(
  staticRows: readonly Row[] | ((batch: MicroBatch<Row>) => MaybePromise<readonly Row[]>),
  options: JoinStaticOptions = {},
): OperatorFunction<MicroBatch<Row>, MicroBatch<Row>> {
  const { how = 'inner', streamSide = 'left', on, leftKeys = [], rightKeys = [], where, leftColumns, rightColumns, reload = false } = options;
  const using = on === undefined ? [] : typeof on === 'string' ? [on] : [...on];
  const lk = [...using, ...leftKeys];
  const rk = [...using, ...rightKeys];
  if (lk.length !== rk.length) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `joinStatic: leftKeys (${lk.length}) and rightKeys (${rk.length}) differ in length`, {
      context: { leftKeys: lk.join(','), rightKeys: rk.join(',') },
    });
  }
  return staticJoinOperator(staticRows, {
    joinType: parseJoinType(how),
    streamSide,
    leftKeys: lk,
    rightKeys: rk,
    using,
    ...(where ? { residual: where } : {}),
    ...(leftColumns ? { leftColumns } : {}),
    ...(rightColumns ? { rightColumns } : {}),
    reload,
  });
}
