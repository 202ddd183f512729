import { encodeLogFile } from '../../lib/checkpoint/logFile';
import { decodeSparkLogFile, encodeSparkLogFile, sparkPlainLogFormat } from '../../lib/checkpoint/sparkLogFile';
import { MemoryCheckpointStore } from '../../lib/checkpoint/MemoryCheckpointStore';
import { MetadataLog } from '../../lib/checkpoint/MetadataLog';

describe("Spark's plain log file framing", () => {
  it("encodes as Spark's CompactibleFileStreamLog.serialize: v1, then \\n + line per line, nothing after", () => {
    expect(encodeSparkLogFile(1, [])).toBe('v1');
    expect(encodeSparkLogFile(1, ['{"a":1}', '{"b":2}'])).toBe('v1\n{"a":1}\n{"b":2}');
    expect(() => encodeSparkLogFile(1, ['a\nb'])).toThrow(/newline/);
    expect(() => encodeSparkLogFile(0, [])).toThrow(/version/);
  });

  it('decodes what Spark writes, skipping blank lines (a trailing newline of another writer)', () => {
    expect(decodeSparkLogFile('v1', 1)).toEqual({ kind: 'ok', version: 1, lines: [] });
    expect(decodeSparkLogFile(Buffer.from('v1\n{"a":1}\n\n{"b":2}\n'), 1)).toEqual({ kind: 'ok', version: 1, lines: ['{"a":1}', '{"b":2}'] });
  });

  it('names what the framing can see: an empty file is torn, a bad header corrupt, a newer version unsupported', () => {
    expect(decodeSparkLogFile('', 1).kind).toBe('torn');
    expect(decodeSparkLogFile('{"a":1}', 1).kind).toBe('corrupt');
    expect(decodeSparkLogFile('v0\n', 1).kind).toBe('corrupt');
    expect(decodeSparkLogFile('v2\n{}', 1)).toEqual({ kind: 'unsupportedVersion', version: 2, maxVersion: 1 });
  });

  it('serves MetadataLog as its format option, leaving the default (checksummed) logs alone', async () => {
    const store = new MemoryCheckpointStore();
    const codec = { version: 1, encode: (v: string[]) => v, decode: (lines: readonly string[]) => [...lines] };
    const spark = new MetadataLog(store, 'spark', codec, { format: sparkPlainLogFormat });
    const weir = new MetadataLog(store, 'weir', codec);
    await spark.add(0, ['x', 'y']);
    await weir.add(0, ['x', 'y']);
    expect((await store.read('spark/0'))?.toString()).toBe('v1\nx\ny');
    expect((await store.read('weir/0'))?.toString()).toMatch(/^v1\nx\ny\ncrc32:[0-9a-f]{8}\n$/);
    expect(await spark.get(0)).toEqual(['x', 'y']);
    // A reader of Spark's framing sees weir's trailer as one more body line (why the sink log has none) ...
    await store.writeAtomic('spark/1', (await store.read('weir/0')) as Buffer);
    expect((await spark.get(1))?.[2]).toMatch(/^crc32:[0-9a-f]{8}$/);
    // ... and weir's framing reads a file without a trailer as torn.
    await store.writeAtomic('weir/1', 'v1\nx\ny');
    expect((await weir.inspect(1))?.kind).toBe('torn');
  });

  it('MetadataLog naming: several names per batch, written under the first, read from the first that exists', async () => {
    const store = new MemoryCheckpointStore();
    const codec = { version: 1, encode: (v: string) => [v], decode: (lines: readonly string[]) => lines[0] ?? '' };
    const naming = {
      fileNames: (id: number) => (id % 2 === 1 ? [`${id}.odd`, String(id)] : [String(id), `${id}.odd`]),
      batchIdOf: (name: string) => (/^\d+(\.odd)?$/.test(name) ? parseInt(name, 10) : undefined),
    };
    const log = new MetadataLog(store, 'n', codec, { naming });
    await log.add(1, 'one');
    await log.add(2, 'two');
    await store.writeAtomic('n/3', encodeLogFile(1, ['three']));
    expect(await store.list('n')).toEqual(['1.odd', '2', '3']);
    expect(log.pathOf(1)).toBe('n/1.odd');
    expect(await log.get(3)).toBe('three');
    expect(await log.listBatchIds()).toEqual([1, 2, 3]);
    expect(await log.listFiles()).toEqual([
      { batchId: 1, name: '1.odd' },
      { batchId: 2, name: '2' },
      { batchId: 3, name: '3' },
    ]);
    await log.purge(3);
    expect(await store.list('n')).toEqual(['3']);
    await log.delete(3);
    expect(await store.list('n')).toEqual([]);
  });
});

