/**
 * The Kafka source's starting offsets are kept as entry 0 of a metadata log in the source's folder (versioned,
 * checksummed, as Spark's KafkaSourceInitialOffsetWriter keeps them in an HDFSMetadataLog); checkpoints of earlier
 * weir versions, with a raw `initialOffsets` JSON file, are still read.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { map } from 'rxjs';
import { decodeLogFile, encodeLogFile } from '../../../../lib/checkpoint/logFile';
import { MemoryKafkaClient } from '../../../../connectors/kafka/client/MemoryKafkaClient';
import { startQuery } from '../../../../lib/query/startQuery';
import { rows } from '../../../../operators';
import { memorySink } from '../../../../connectors/memory/memorySink';
import { kafka, type KafkaRow } from '../../../../connectors/kafka/source';
import { INITIAL_OFFSETS_VERSION, KafkaInitialOffsets, LEGACY_INITIAL_OFFSETS_FILE } from '../../../../connectors/kafka/source/initialOffsets';
import { expectWeirError } from '../../../support/expectWeirError';
import { ManualClock } from '../../../support/ManualClock';

describe('KafkaInitialOffsets', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-initial-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes entry 0 in the checkpoint log format (version header, CRC trailer) once, and reads it back', async () => {
    const stored = new KafkaInitialOffsets(dir, 'KafkaV2[Subscribe[t]]');
    expect(await stored.get()).toBeUndefined();
    const resolve = jest.fn(async () => ({ t: { '0': 3, '1': 7 } }));
    expect(await stored.getOrCreate(resolve)).toEqual({ t: { '0': 3, '1': 7 } });
    expect(await new KafkaInitialOffsets(dir, 'x').getOrCreate(resolve)).toEqual({ t: { '0': 3, '1': 7 } });
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(await fs.readdir(dir)).toEqual(['0']);
    const bytes = await fs.readFile(path.join(dir, '0'));
    expect(bytes.toString('utf8')).toMatch(/^v1\n\{"t":\{"0":3,"1":7\}\}\ncrc32:[0-9a-f]{8}\n?$/);
    expect(decodeLogFile(bytes, INITIAL_OFFSETS_VERSION)).toEqual({ kind: 'ok', version: 1, lines: ['{"t":{"0":3,"1":7}}'] });
  });

  it('reads the initialOffsets file of an earlier weir version, and leaves it as it is', async () => {
    const legacy = path.join(dir, LEGACY_INITIAL_OFFSETS_FILE);
    await fs.writeFile(legacy, JSON.stringify({ t: { '0': 11 } }));
    const stored = new KafkaInitialOffsets(dir, 'KafkaV2[Subscribe[t]]');
    const resolve = jest.fn(async () => ({ t: { '0': 99 } }));
    expect(await stored.getOrCreate(resolve)).toEqual({ t: { '0': 11 } });
    expect(resolve).not.toHaveBeenCalled();
    expect(await fs.readdir(dir)).toEqual([LEGACY_INITIAL_OFFSETS_FILE]);
    // When both exist (never written so by weir), the log entry wins.
    await fs.writeFile(path.join(dir, '0'), encodeLogFile(1, [JSON.stringify({ t: { '0': 5 } })]));
    expect(await stored.get()).toEqual({ t: { '0': 5 } });
  });

  it('names damage instead of resolving again: torn, corrupt, newer version, unparsable legacy file', async () => {
    const stored = new KafkaInitialOffsets(dir, 'KafkaV2[Subscribe[t]]');
    const resolve = jest.fn(async () => ({ t: { '0': 1 } }));
    const entry = path.join(dir, '0');
    const good = encodeLogFile(1, [JSON.stringify({ t: { '0': 5 } })]);
    await fs.writeFile(entry, good.slice(0, good.length - 4));
    expect((await expectWeirError(() => stored.getOrCreate(resolve), 'CHECKPOINT_CORRUPT')).context.path).toBe(entry);
    await fs.writeFile(entry, good.replace('5', '6'));
    await expectWeirError(() => stored.getOrCreate(resolve), 'CHECKPOINT_CORRUPT');
    await fs.writeFile(entry, encodeLogFile(1, ['{"t":{"0":"five"}}']));
    await expectWeirError(() => stored.getOrCreate(resolve), 'CHECKPOINT_CORRUPT');
    await fs.writeFile(entry, encodeLogFile(2, [JSON.stringify({ t: { '0': 5 } })]));
    await expectWeirError(() => stored.getOrCreate(resolve), 'CHECKPOINT_UNSUPPORTED_VERSION');
    await fs.rm(entry);
    await fs.writeFile(path.join(dir, LEGACY_INITIAL_OFFSETS_FILE), '{"t":');
    const e = await expectWeirError(() => stored.getOrCreate(resolve), 'CHECKPOINT_CORRUPT');
    expect(e.context.path).toBe(path.join(dir, LEGACY_INITIAL_OFFSETS_FILE));
    expect(resolve).not.toHaveBeenCalled();
  });

  it('a concurrent writer wins: the entry written first is the one returned', async () => {
    const stored = new KafkaInitialOffsets(dir, 'KafkaV2[Subscribe[t]]');
    const other = new KafkaInitialOffsets(dir, 'KafkaV2[Subscribe[t]]');
    const got = await stored.getOrCreate(async () => {
      await other.getOrCreate(async () => ({ t: { '0': 1 } }));
      return { t: { '0': 2 } };
    });
    expect(got).toEqual({ t: { '0': 1 } });
  });
});

describe('the Kafka source in a query, across restarts, with its starting offsets', () => {
  let checkpoint: string;
  beforeEach(async () => {
    checkpoint = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-initial-q-'));
  });
  afterEach(async () => {
    await fs.rm(checkpoint, { recursive: true, force: true });
  });

  /** One run of kafka → value strings → a new memory sink, until everything available is processed. */
  const run = async (client: MemoryKafkaClient): Promise<string[]> => {
    const sink = memorySink({ name: `initial-${Math.random().toString(36).slice(2)}` });
    const q = await startQuery({
      source: kafka({ client, subscribe: 't', startingOffsets: 'latest' }),
      pipeline: [rows(map((r: KafkaRow) => ({ v: r.value!.toString() })))],
      sink,
      checkpointLocation: checkpoint,
      clock: new ManualClock(1_000),
    });
    await q.processAllAvailable();
    await q.stop();
    return sink.rows().map((r) => r.v as string);
  };

  it('a run that stopped before its first batch: the restart starts at the offsets the first run resolved', async () => {
    const client = new MemoryKafkaClient();
    await client.createTopic('t');
    await client.produce([{ topic: 't', key: null, value: 'before-start' }]);
    // The first run resolves `latest` (offset 1), stores it, finds no data and stops.
    expect(await run(client)).toEqual([]);
    expect(await fs.readdir(path.join(checkpoint, 'sources', '0'))).toEqual(['0']);
    expect(await fs.readdir(path.join(checkpoint, 'offsets')).catch(() => [])).toEqual([]);
    // Resolving `latest` again would skip this record.
    await client.produce([{ topic: 't', key: null, value: 'after-start' }]);
    expect(await run(client)).toEqual(['after-start']);
  });

  it('an earlier weir checkpoint (sources/0/initialOffsets, raw JSON) is resumed from: the logged batch re-runs exactly', async () => {
    const client = new MemoryKafkaClient();
    await client.createTopic('t');
    await client.produce([{ topic: 't', key: null, value: 'old' }]);
    // Make the checkpoint with this weir (batch 0 reads 'in-batch-0'), then turn its entry 0 into the old format.
    const q = await startQuery({
      source: kafka({ client, subscribe: 't', startingOffsets: 'latest' }),
      sink: memorySink({ name: 'legacy-first' }),
      checkpointLocation: checkpoint,
    });
    await q.processAllAvailable();
    await client.produce([{ topic: 't', key: null, value: 'in-batch-0' }]);
    await q.processAllAvailable();
    await q.stop();
    const folder = path.join(checkpoint, 'sources', '0');
    const entry = decodeLogFile(await fs.readFile(path.join(folder, '0')), 1);
    expect(entry).toMatchObject({ kind: 'ok', lines: ['{"t":{"0":1}}'] });
    await fs.rm(path.join(folder, '0'));
    await fs.writeFile(path.join(folder, LEGACY_INITIAL_OFFSETS_FILE), '{"t":{"0":1}}');
    // Forget that batch 0 was committed: the restart re-runs it from the legacy starting offsets.
    await fs.rm(path.join(checkpoint, 'commits', '0'));
    await client.produce([{ topic: 't', key: null, value: 'later' }]);
    expect(await run(client)).toEqual(['in-batch-0', 'later']);
    expect((await fs.readdir(folder)).sort()).toEqual([LEGACY_INITIAL_OFFSETS_FILE]);
  });
});
