import { map, pipe } from 'rxjs';
import type { Row } from '../../lib/contracts';
import { isWeirError } from '../../lib/errors';
import { joinStream, withWatermark } from '../../operators';
import { JoinHarness } from '../join/support/JoinHarness';

const t = (s: number): Date => new Date(s * 1000);
const L = (k: string | null, s: number, v = 1): Row => ({ lk: k, lt: t(s), lv: v });
const R = (k: string | null, s: number, v = 1): Row => ({ rk: k, rt: t(s), rv: v });
const LEFT_COLUMNS = ['lk', 'lt', 'lv'];
const RIGHT_COLUMNS = ['rk', 'rt', 'rv'];

/** lk = rk AND lt BETWEEN rt - 5 seconds AND rt + 5 seconds, 10 s watermarks on both sides. */
function harness(how: string, options: { watermarks?: [boolean, boolean]; range?: boolean; mode?: 'append' | 'update' } = {}): JoinHarness {
  const { watermarks = [true, true], range = true, mode = 'append' } = options;
  return new JoinHarness(
    [watermarks[0] ? [withWatermark('lt', '10 seconds')] : [], watermarks[1] ? [withWatermark('rt', '10 seconds')] : []],
    [
      joinStream({
        how,
        leftKeys: ['lk'],
        rightKeys: ['rk'],
        ...(range ? { between: { left: 'lt', right: 'rt', lower: '-5 seconds', upper: '5 seconds' } } : {}),
        leftColumns: LEFT_COLUMNS,
        rightColumns: RIGHT_COLUMNS,
      }),
    ],
    mode,
  );
}

const sortRows = (rows: Row[]): string[] => rows.map((r) => JSON.stringify(r)).sort();
const joined = (l: Row, r: Row): Row => ({ ...l, ...r });
const leftNull = (l: Row): Row => ({ ...l, rk: null, rt: null, rv: null });
const rightNull = (r: Row): Row => ({ lk: null, lt: null, lv: null, ...r });

describe('joinStream: stream-stream joins', () => {
  it('inner: a pair in one batch and pairs across batches are each emitted once, at once', () => {
    const h = harness('inner');
    expect(sortRows(h.step([L('a', 10)], [R('a', 12), R('b', 12)]))).toEqual(sortRows([joined(L('a', 10), R('a', 12))]));
    // a later left row matches the buffered right row; a later right row matches the buffered left rows.
    expect(sortRows(h.step([L('a', 14, 2)], [R('a', 9, 3)]))).toEqual(
      sortRows([joined(L('a', 14, 2), R('a', 12)), joined(L('a', 10), R('a', 9, 3)), joined(L('a', 14, 2), R('a', 9, 3))]),
    );
    // outside the range: no match.
    expect(h.step([L('b', 30)], [])).toEqual([]);
  });

  it('inner: null keys never match', () => {
    const h = harness('inner');
    expect(h.step([L(null, 10)], [R(null, 10)])).toEqual([]);
  });

  it('left outer: an unmatched left row is emitted with nulls when the watermark evicts it, a matched one never', () => {
    const h = harness('left_outer');
    expect(h.batch([L('a', 10), L('m', 10)], [R('m', 11)])).toEqual([joined(L('m', 10), R('m', 11))]);
    // watermark -> min(30, 30) - 10 = 20; left state watermark = 20 - 5 s - 1 ms: rows with lt <= 14.999 go.
    expect(h.batch([L('q', 30)], [R('z', 30)])).toEqual([]);
    expect(h.watermarkMs).toBe(20_000);
    expect(h.advance()).toEqual([leftNull(L('a', 10))]);
    // nothing is emitted twice
    expect(h.step([L('q', 31)], [R('z', 31)])).toEqual([]);
  });

  it('right outer: an unmatched right row is emitted with nulls on eviction', () => {
    const h = harness('right_outer');
    expect(h.batch([L('m', 10)], [R('m', 11), R('b', 10)])).toEqual([joined(L('m', 10), R('m', 11))]);
    expect(h.batch([L('q', 40)], [R('z', 40)])).toEqual([]);
    expect(h.advance()).toEqual([rightNull(R('b', 10))]);
  });

  it('full outer: unmatched rows of both sides are emitted on eviction', () => {
    const h = harness('full_outer');
    expect(h.batch([L('a', 10), L('m', 10)], [R('m', 11), R('b', 10)])).toEqual([joined(L('m', 10), R('m', 11))]);
    h.batch([L('q', 40)], [R('z', 40)]);
    expect(sortRows(h.advance())).toEqual(sortRows([leftNull(L('a', 10)), rightNull(R('b', 10))]));
  });

  it('left semi: a left row is emitted once, at its first match, whatever side arrives first', () => {
    const h = harness('left_semi');
    expect(h.batch([L('a', 10)], [R('a', 11), R('a', 12)])).toEqual([L('a', 10)]);
    expect(h.batch([], [R('a', 13)])).toEqual([]);
    expect(h.batch([L('a', 12, 7)], [])).toEqual([L('a', 12, 7)]);
    expect(h.batch([L('c', 20)], [])).toEqual([]);
    expect(h.batch([], [R('c', 21), R('c', 22)])).toEqual([L('c', 20)]);
  });

  it('drops rows at or below the previous watermark on each side and counts them', () => {
    const h = harness('inner');
    h.step([L('x', 40)], [R('y', 40)]); // watermark 30
    expect(h.watermarkMs).toBe(30_000);
    h.batch([], []); // late-events watermark becomes 30
    expect(h.batch([L('a', 30), L('a', 31)], [R('a', 29), R('a', 33)])).toEqual([joined(L('a', 31), R('a', 33))]);
    expect(h.lastMetrics[0]!.numRowsDroppedByWatermark).toBe(2);
  });

  it('evicts state by the watermark and the range: state stays bounded', () => {
    const h = harness('inner');
    for (let i = 0; i < 50; i += 1) h.step([L(`k${i}`, 10 * i)], [R(`k${i}`, 10 * i + 1)]);
    // watermark = 490 - 10 = 480: only rows with time > 480 - 5 remain (the last batch's two rows).
    expect(h.stateRows()).toBeLessThanOrEqual(4);
  });

  it('a window-equality join evicts by the window end (watermark in the join keys)', () => {
    const h = new JoinHarness(
      [[withWatermark('lt', '10 seconds')], [withWatermark('rt', '10 seconds')]],
      [joinStream({ how: 'left_outer', leftKeys: ['lk', 'lt'], rightKeys: ['rk', 'rt'], leftColumns: LEFT_COLUMNS, rightColumns: RIGHT_COLUMNS })],
    );
    expect(h.batch([L('a', 10), L('b', 10)], [R('a', 10)])).toEqual([joined(L('a', 10), R('a', 10))]);
    h.batch([L('q', 40)], [R('z', 40)]);
    expect(h.advance()).toEqual([leftNull(L('b', 10))]);
  });

  it.each([
    [
      'update mode',
      () => harness('inner', { mode: 'update' }),
      'Join between two streaming DataFrames/Datasets is not supported in Update output mode, only in Append output mode',
    ],
    [
      'left outer without a watermark on the right',
      () => harness('left_outer', { watermarks: [true, false] }),
      'Stream-stream LeftOuter join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition',
    ],
    [
      'full outer without a range condition',
      () => harness('full_outer', { range: false }),
      'Stream-stream FullOuter join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition',
    ],
    ['left anti', () => harness('left_anti'), 'LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported'],
  ])('rejects %s with Spark message', (_name, make, message) => {
    const h = make();
    let error: unknown;
    try {
      h.batch([L('a', 1)], [R('a', 1)]);
    } catch (e) {
      error = e;
    }
    expect(isWeirError(error) && error.code).toBe('UNSUPPORTED_OPERATION');
    expect((error as Error).message).toBe(message);
  });

  it('rejects a join without an equality key', () => {
    const h = new JoinHarness([[], []], [joinStream({ between: { left: 'lt', right: 'rt', lower: 0, upper: 0 } })]);
    expect(() => h.batch([L('a', 1)], [R('a', 1)])).toThrow('Stream-stream join without equality predicate is not supported');
  });

  it('left outer with a watermark only on the right passes (as in Spark 4.0.1) but never evicts the left side', () => {
    const h = harness('left_outer', { watermarks: [false, true] });
    h.step([L('a', 10)], [R('z', 100)]);
    expect(h.stateRows()).toBe(2);
  });

  it('needs the query to have two inputs: the plan tree is refused before any batch', () => {
    let error: unknown;
    try {
      new JoinHarness([[]], [joinStream({ on: 'k' })]);
    } catch (e) {
      error = e;
    }
    expect(isWeirError(error) && error.code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toContain('needs more than 1 input(s)');
  });

  it('must come first after the inputs; inside an rxjs pipe it fails its first batch with the reason', () => {
    expect(() => new JoinHarness([[], []], [withWatermark('lt', '1 second'), joinStream({ on: 'k' })])).toThrow(
      /must be the first operator of the pipeline/,
    );
    expect(() => new JoinHarness([[joinStream({ on: 'k' })], []], [])).toThrow(/cannot be in one input's own pipeline/);
    const hidden = new JoinHarness([[], []], [pipe(joinStream({ on: 'k' }), map((b) => b))]);
    let error: unknown;
    try {
      hidden.batch([{ k: 1 }], [{ k: 1 }]);
    } catch (e) {
      error = e;
    }
    expect(isWeirError(error) && error.code).toBe('OPERATOR_ERROR');
    expect((error as Error).message).toContain('not inside an rxjs pipe');
  });

  it('cascades: (left ⋈ right) ⋈ third, the inner join running as the left side of the outer one', () => {
    const inner = joinStream({ leftKeys: ['lk'], rightKeys: ['rk'], between: { left: 'lt', right: 'rt', lower: '-5 seconds', upper: '5 seconds' } });
    const h = new JoinHarness(
      [[withWatermark('lt', '10 seconds')], [withWatermark('rt', '10 seconds')], [withWatermark('xt', '10 seconds')]],
      [joinStream({ leftInputs: 2, left: [inner], leftKeys: ['lk'], rightKeys: ['xk'], between: { left: 'lt', right: 'xt', lower: '-5 seconds', upper: '5 seconds' } })],
    );
    expect(h.batch([L('a', 10)], [R('a', 11)], [])).toEqual([]);
    expect(h.batch([], [], [{ xk: 'a', xt: t(12) }, { xk: 'b', xt: t(12) }])).toEqual([{ ...joined(L('a', 10), R('a', 11)), xk: 'a', xt: t(12) }]);
    expect(h.outputs).toHaveLength(2);
  });

  it('using columns are output once; a right outer row takes its key from the right', () => {
    const h = new JoinHarness(
      [[withWatermark('lt', '10 seconds')], [withWatermark('rt', '10 seconds')]],
      [joinStream({ how: 'right_outer', on: 'k', between: { left: 'lt', right: 'rt', lower: '-5 seconds', upper: '5 seconds' }, leftColumns: ['k', 'lt'], rightColumns: ['k', 'rt'] })],
    );
    expect(h.batch([{ k: 'a', lt: t(10) }], [{ k: 'a', rt: t(11) }, { k: 'b', rt: t(10) }])).toEqual([{ k: 'a', lt: t(10), rt: t(11) }]);
    h.batch([{ k: 'q', lt: t(40) }], [{ k: 'z', rt: t(40) }]);
    expect(h.advance()).toEqual([{ k: 'b', lt: null, rt: t(10) }]);
  });
});
