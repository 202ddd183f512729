/**
 * The record formats of the LevelDB layout: the undo record's binary form round-trips any keys and previous
 * values, the first (msgpack) form written by earlier versions is still read, and a damaged record is
 * STATE_CORRUPT rather than a wrong rollback.
 */
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { decodeUndo, encodeUndo, type UndoRecord } from '../../lib/state/levelLayout';

const bytes = fc.uint8Array({ maxLength: 80 });
const undoArb: fc.Arbitrary<UndoRecord> = fc
  .record({
    version: fc.nat({ max: 2 ** 40 }),
    previousVersion: fc.integer({ min: -1, max: 2 ** 40 }),
    previousNumRows: fc.nat(),
    entries: fc.array(fc.tuple(bytes, fc.option(bytes, { nil: null })), { maxLength: 30 }),
  })
  .map(({ entries, ...header }) => ({ ...header, keys: entries.map(([k]) => k), values: entries.map(([, v]) => v) }));

const plain = (undo: UndoRecord) => ({
  ...undo,
  keys: undo.keys.map((k) => [...k]),
  values: undo.values.map((v) => (v === null ? null : [...v])),
});

describe('undo record', () => {
  it('round-trips keys and previous values, absent values included', () => {
    fc.assert(
      fc.property(undoArb, (undo) => {
        expect(plain(decodeUndo(encodeUndo(undo), 'op'))).toEqual(plain(undo));
      }),
      { numRuns: 200 },
    );
  });

  it('hands back copies, not views of the record bytes', () => {
    const record = encodeUndo({ version: 3, previousVersion: 2, previousNumRows: 1, keys: [Uint8Array.of(1, 2)], values: [Uint8Array.of(9)] });
    const undo = decodeUndo(record, 'op');
    record.fill(0);
    expect([...undo.keys[0]!]).toEqual([1, 2]);
    expect([...undo.values[0]!]).toEqual([9]);
  });

  it('reads the msgpack form written before the binary form', () => {
    const packr = new Packr({ useRecords: false, structuredClone: false, copyBuffers: true });
    const legacy = packr.pack({ v: 7, pv: 6, pr: 2, k: [Uint8Array.of(1), Uint8Array.of(2)], b: [Uint8Array.of(5), null] });
    const undo = decodeUndo(legacy, 'op');
    expect(plain(undo)).toEqual({
      version: 7,
      previousVersion: 6,
      previousNumRows: 2,
      keys: [[1], [2]],
      values: [[5], null],
    });
  });

  it('fails with STATE_CORRUPT on a truncated or padded record, naming the operator', () => {
    const record = encodeUndo({
      version: 3,
      previousVersion: 2,
      previousNumRows: 1,
      keys: [Uint8Array.of(1, 2), Uint8Array.of(3)],
      values: [Uint8Array.of(9, 9, 9), null],
    });
    for (let cut = 1; cut < record.length; cut += 1) {
      expect(() => decodeUndo(record.subarray(0, cut), 'agg-1')).toThrow(expect.objectContaining({ code: 'STATE_CORRUPT' }));
    }
    const padded = new Uint8Array(record.length + 1);
    padded.set(record);
    expect(() => decodeUndo(padded, 'agg-1')).toThrow(/operator agg-1 is malformed: 1 bytes after the last entry/);
  });
});
