import type { Row } from '../../lib/contracts';
import { isWeirError } from '../../lib/errors';
import { OperatorHarness } from '../../lib/testing/OperatorHarness';
import { joinStatic } from '../../operators';

const ADS: Row[] = [
  { id: 1, name: 'shoes' },
  { id: 2, name: 'hats' },
  { id: 2, name: 'caps' },
  { id: null, name: 'orphan' },
];
const COLUMNS = { leftColumns: ['adId', 'user'], rightColumns: ['id', 'name'] };
const sorted = (rows: Row[]): string[] => rows.map((r) => JSON.stringify(r)).sort();

describe('joinStatic: stream-static joins', () => {
  const events = [
    { adId: 1, user: 'u1' },
    { adId: 2, user: 'u2' },
    { adId: 3, user: 'u3' },
    { adId: null, user: 'u4' },
  ];

  it('inner: each stream row with every static row of its key; null keys never match', () => {
    const h = new OperatorHarness(joinStatic(ADS, { leftKeys: ['adId'], rightKeys: ['id'], ...COLUMNS }));
    expect(sorted(h.processBatch(events))).toEqual(
      sorted([
        { adId: 1, user: 'u1', id: 1, name: 'shoes' },
        { adId: 2, user: 'u2', id: 2, name: 'hats' },
        { adId: 2, user: 'u2', id: 2, name: 'caps' },
      ]),
    );
  });

  it('left outer (stream left): unmatched stream rows padded with the static columns as nulls', () => {
    const h = new OperatorHarness(joinStatic(ADS, { how: 'left_outer', leftKeys: ['adId'], rightKeys: ['id'], ...COLUMNS }));
    const out = h.processBatch(events);
    expect(out).toHaveLength(5);
    expect(sorted(out.filter((r) => r.id === null))).toEqual(
      sorted([
        { adId: 3, user: 'u3', id: null, name: null },
        { adId: null, user: 'u4', id: null, name: null },
      ]),
    );
  });

  it('right outer (stream right): unmatched stream rows padded on the left', () => {
    const h = new OperatorHarness(
      joinStatic(ADS, { how: 'right_outer', streamSide: 'right', leftKeys: ['id'], rightKeys: ['adId'], leftColumns: ['id', 'name'], rightColumns: ['adId', 'user'] }),
    );
    const out = h.processBatch(events);
    expect(out).toHaveLength(5);
    expect(out).toContainEqual({ id: null, name: null, adId: 3, user: 'u3' });
  });

  it('left semi and left anti keep stream rows with / without a match, once', () => {
    const semi = new OperatorHarness(joinStatic(ADS, { how: 'left_semi', leftKeys: ['adId'], rightKeys: ['id'] }));
    expect(semi.processBatch(events)).toEqual([events[0], events[1]]);
    const anti = new OperatorHarness(joinStatic(ADS, { how: 'left_anti', leftKeys: ['adId'], rightKeys: ['id'] }));
    expect(anti.processBatch(events)).toEqual([events[2], events[3]]);
  });

  it('applies the rest of the condition to each pair', () => {
    const h = new OperatorHarness(
      joinStatic(ADS, { how: 'left_outer', leftKeys: ['adId'], rightKeys: ['id'], where: (_l, r) => r.name !== 'caps', ...COLUMNS }),
    );
    expect(h.processBatch([events[1]!])).toEqual([{ adId: 2, user: 'u2', id: 2, name: 'hats' }]);
  });

  it('loads the static rows once and reuses them; reload: true loads them per batch', () => {
    let loads = 0;
    const load = (): Row[] => {
      loads += 1;
      return ADS;
    };
    const once = new OperatorHarness(joinStatic(load, { leftKeys: ['adId'], rightKeys: ['id'] }));
    once.processBatch(events);
    once.processBatch(events);
    expect(loads).toBe(1);
    const again = new OperatorHarness(joinStatic(load, { leftKeys: ['adId'], rightKeys: ['id'], reload: true }));
    again.processBatch(events);
    again.processBatch(events);
    expect(loads).toBe(3);
  });

  it('keeps no state: the harness holds no state rows', () => {
    const h = new OperatorHarness(joinStatic(ADS, { how: 'left_outer', leftKeys: ['adId'], rightKeys: ['id'] }));
    h.processBatch(events);
    expect(h.stateRowCount()).toBe(0);
  });

  it.each([
    ['full_outer', 'left', 'FullOuter joins with streaming DataFrames/Datasets on the left and a static DataFrame/Dataset on the right is not supported'],
    ['right_outer', 'left', 'RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported'],
    ['full_outer', 'right', 'FullOuter joins with streaming DataFrames/Datasets on the right and a static DataFrame/Dataset on the left is not supported'],
    ['left_outer', 'right', 'LeftOuter join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported'],
    ['left_semi', 'right', 'LeftSemi join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported'],
    ['left_anti', 'right', 'LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported'],
  ] as const)('rejects %s with the stream on the %s with Spark 4.0.1 message', (how, streamSide, message) => {
    let error: unknown;
    try {
      joinStatic(ADS, { how, streamSide, on: 'id' });
    } catch (e) {
      error = e;
    }
    expect(isWeirError(error) && error.code).toBe('UNSUPPORTED_OPERATION');
    expect((error as Error).message).toBe(message);
  });

  it('rejects an unknown join type with Spark 4.0.1 UNSUPPORTED_JOIN_TYPE', () => {
    expect(() => joinStatic(ADS, { how: 'sideways', on: 'id' })).toThrow(
      "[UNSUPPORTED_JOIN_TYPE] Unsupported join type 'sideways'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'.",
    );
  });
});
