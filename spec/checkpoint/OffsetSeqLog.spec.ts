import { encodeLogFile } from '../../lib/checkpoint/logFile';
import { MemoryCheckpointStore } from '../../lib/checkpoint/MemoryCheckpointStore';
import { OffsetSeqLog, offsetSeqCodec, type OffsetSeq } from '../../lib/checkpoint/OffsetSeqLog';
import { ErrorCodes, isWeirError } from '../../lib/errors';
import { rejectionOf } from './tempDir';

const seq: OffsetSeq = {
  metadata: { batchWatermarkMs: 5000, batchTimestampMs: 1700000000123, conf: { 'spark.sql.shuffle.partitions': '200' }, queryId: 'q-1' },
  offsets: [{ topic: { '0': 42, '1': 7 } }, null, 17, 'file-3', [1, 2]],
};

describe('OffsetSeqLog', () => {
  it("writes Spark's layout: v1, the metadata JSON line, one line per source with '-' for none", async () => {
    const store = new MemoryCheckpointStore();
    await new OffsetSeqLog(store).add(0, seq);
    const text = (await store.read('offsets/0'))?.toString() ?? '';
    expect(text.split('\n').slice(0, 7)).toEqual([
      'v1',
      '{"batchWatermarkMs":5000,"batchTimestampMs":1700000000123,"conf":{"spark.sql.shuffle.partitions":"200"},"queryId":"q-1"}',
      '{"topic":{"0":42,"1":7}}',
      '-',
      '17',
      '"file-3"',
      '[1,2]',
    ]);
  });

  it('round-trips an entry exactly', async () => {
    const log = new OffsetSeqLog(new MemoryCheckpointStore());
    await log.add(3, seq);
    expect(await log.get(3)).toEqual(seq);
    expect(log.pathOf(3)).toBe('offsets/3');
  });

  it('reads entries with no sources and an absent conf', () => {
    expect(offsetSeqCodec.decode(['{"batchWatermarkMs":0,"batchTimestampMs":1,"queryId":"q"}'], 1)).toEqual({
      metadata: { batchWatermarkMs: 0, batchTimestampMs: 1, conf: {}, queryId: 'q' },
      offsets: [],
    });
  });

  it('reports malformed entries as corrupt (valid checksum, bad content)', async () => {
    const store = new MemoryCheckpointStore();
    const log = new OffsetSeqLog(store);
    const bad = [
      [],
      ['not json'],
      ['[1]'],
      ['{"batchWatermarkMs":"0","batchTimestampMs":1,"queryId":"q"}'],
      ['{"batchWatermarkMs":0,"batchTimestampMs":1}'],
      ['{"batchWatermarkMs":0,"batchTimestampMs":1,"queryId":"q","conf":{"a":1}}'],
      ['{"batchWatermarkMs":0,"batchTimestampMs":1,"queryId":"q"}', '{broken'],
    ];
    for (const [i, lines] of bad.entries()) {
      await store.writeAtomic(`offsets/${i}`, encodeLogFile(1, lines));
      expect((await log.inspect(i))?.kind).toBe('corrupt');
      expect(isWeirError(await rejectionOf(log.get(i)), ErrorCodes.CHECKPOINT_CORRUPT)).toBe(true);
    }
  });

  it('keeps a "__proto__" key on disk as data', () => {
    const decoded = offsetSeqCodec.decode(
      ['{"batchWatermarkMs":0,"batchTimestampMs":1,"queryId":"q","conf":{"__proto__":"x"}}', '{"__proto__":{"polluted":1}}'],
      1,
    );
    expect(Object.getPrototypeOf(decoded.metadata.conf)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded.metadata.conf, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses offsets that JSON would alter: INVALID_ARGUMENT', async () => {
    const log = new OffsetSeqLog(new MemoryCheckpointStore());
    for (const offset of [Number.NaN, Number.POSITIVE_INFINITY, { a: undefined }, new Date(0)]) {
      const error = await rejectionOf(log.add(0, { ...seq, offsets: [offset as never] }));
      expect(isWeirError(error, ErrorCodes.INVALID_ARGUMENT)).toBe(true);
    }
    const badConf = { ...seq, metadata: { ...seq.metadata, conf: { n: 1 as unknown as string } } };
    expect(isWeirError(await rejectionOf(log.add(0, badConf)), ErrorCodes.INVALID_ARGUMENT)).toBe(true);
    expect(await log.listBatchIds()).toEqual([]);
  });
});
