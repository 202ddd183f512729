import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StructType } from '../../../lib/values/types';
import {
  CHECKPOINT_SCHEMA,
  decodeCommit,
  encodeCommit,
  fileKey,
  loadSnapshot,
  parseLogFileName,
  parseStats,
  readCheckpoint,
  readDelta,
  writeCheckpoint,
  writeDelta,
  type Action,
} from '../../../connectors/delta';
import { ManualClock } from '../../support/ManualClock';
import { expectWeirError } from '../../support/expectWeirError';
import { tempTable } from './support/tempTable';

const schema = StructType.fromDDL('id BIGINT, name STRING, day DATE');
const row = (i: number) => ({ id: i, name: i % 4 === 3 ? null : `n${i}`, day: new Date(Date.UTC(2024, 0, 1 + (i % 2))) });

describe('Delta log actions', () => {
  const actions: Action[] = [
    { kind: 'commitInfo', commitInfo: { timestamp: 1, operation: 'WRITE', operationParameters: { mode: 'Append' } } },
    { kind: 'protocol', protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['timestampNtz'] } },
    {
      kind: 'metaData',
      metaData: { id: 'abc', format: { provider: 'parquet', options: {} }, schemaString: schema.json(), partitionColumns: ['day'], configuration: { 'delta.checkpointInterval': '10' }, createdTime: 5 },
    },
    { kind: 'add', add: { path: 'day=2024-01-01/part-0.parquet', partitionValues: { day: '2024-01-01', x: null }, size: 10, modificationTime: 2, dataChange: true, stats: '{"numRecords":3}' } },
    { kind: 'remove', remove: { path: 'a%20b.parquet', deletionTimestamp: 3, dataChange: true, extendedFileMetadata: true, partitionValues: {}, size: 4 } },
    { kind: 'txn', txn: { appId: 'q', version: 7, lastUpdated: 9 } },
    { kind: 'other', name: 'domainMetadata', value: { domain: 'd', configuration: '{}', removed: false } },
  ];

  it('round-trips every action kind through the JSON line codec with Delta field names', () => {
    const text = encodeCommit(actions);
    expect(text.split('\n')[3]).toContain('"add":{"path":"day=2024-01-01/part-0.parquet","partitionValues":{"day":"2024-01-01","x":null}');
    expect(decodeCommit(text, 'x.json')).toEqual(actions);
  });

  it('parses stats and names log files', () => {
    expect(parseStats('{"numRecords":2,"minValues":{"a":1}}')).toEqual({ numRecords: 2, minValues: { a: 1 } });
    expect(parseStats('garbage')).toBeUndefined();
    expect(parseLogFileName('00000000000000000012.json')).toEqual({ type: 'commit', version: 12, name: '00000000000000000012.json' });
    expect(parseLogFileName('00000000000000000010.checkpoint.0000000001.0000000002.parquet')).toMatchObject({ type: 'checkpoint', version: 10, part: 1, parts: 2 });
    expect(parseLogFileName('.tmp-00000000000000000001.json-ab')).toBeUndefined();
    expect(fileKey({ path: 'p', deletionVector: { storageType: 'u', pathOrInlineDv: 'x', offset: 1, sizeInBytes: 3, cardinality: 1 } })).not.toBe(fileKey({ path: 'p' }));
  });

  it('a torn line, a non-object line and a two-key line are DELTA_LOG_CORRUPT', async () => {
    for (const text of ['{"add":{"path":"a","size":1}}\n{"add":{"pa', '[1]', '{"add":{"path":"a","size":1},"txn":{}}', '{"add":{"size":1}}']) {
      const e = await expectWeirError(() => decodeCommit(text, 'x.json'), 'SOURCE_ERROR');
      expect(e.context.deltaError).toBe('DeltaIllegalStateException');
      expect(e.context.errorClass).toBe('DELTA_LOG_CORRUPT');
    }
  });
});

describe('Delta snapshots', () => {
  it('reconstructs from the newest checkpoint plus later commits, equal to a replay of all commits', async () => {
    const t = tempTable();
    const clock = new ManualClock(1_700_000_000_000);
    for (let i = 0; i < 14; i++) {
      await writeDelta(t, [row(i)], schema, { mode: i === 6 ? 'overwrite' : 'append', partitionBy: ['day'], clock, txn: { appId: `app${i % 2}`, version: i } });
    }
    const names = await fs.readdir(path.join(t, '_delta_log'));
    expect(names).toContain('00000000000000000010.checkpoint.parquet');
    expect(JSON.parse(await fs.readFile(path.join(t, '_delta_log', '_last_checkpoint'), 'utf8'))).toMatchObject({ version: 10 });
    const s = await loadSnapshot(t);
    expect(s.version).toBe(13);
    expect(s.checkpointVersion).toBe(10);
    expect([...s.txns.values()].map((x) => [x.appId, x.version]).sort()).toEqual([['app0', 12], ['app1', 13]]);
    // Without the checkpoint, a replay of commits 0..13 gives the same state.
    await fs.rm(path.join(t, '_delta_log', '00000000000000000010.checkpoint.parquet'));
    const replayed = await loadSnapshot(t);
    expect(replayed.checkpointVersion).toBeUndefined();
    expect([...replayed.files.keys()].sort()).toEqual([...s.files.keys()].sort());
    expect(replayed.metadata).toEqual(s.metadata);
    expect(replayed.protocol).toEqual(s.protocol);
    const ids = (await readDelta(t)).rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
    expect(ids).toEqual([6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('the checkpoint Parquet file has Delta\'s columns and reads back as the snapshot\'s actions', async () => {
    const t = tempTable();
    await writeDelta(t, [row(1), row(2)], schema, { mode: 'append', partitionBy: ['day'], txn: { appId: 'q', version: 0 } });
    await writeDelta(t, [row(3)], schema, { mode: 'overwrite' });
    const s = await loadSnapshot(t);
    expect(await writeCheckpoint(s, Date.now())).toBe(true);
    expect(await writeCheckpoint(s, Date.now())).toBe(false); // put-if-absent
    expect(CHECKPOINT_SCHEMA.names).toEqual(['txn', 'add', 'remove', 'metaData', 'protocol']);
    const actions = await readCheckpoint(t, ['00000000000000000001.checkpoint.parquet']);
    expect(actions.filter((a) => a.kind === 'add')).toHaveLength(1);
    expect(actions.filter((a) => a.kind === 'remove')).toHaveLength(2);
    const meta = actions.find((a) => a.kind === 'metaData');
    expect(meta).toEqual({ kind: 'metaData', metaData: s.metadata });
    expect(actions.find((a) => a.kind === 'txn')).toMatchObject({ txn: { appId: 'q', version: 0 } });
    expect((await loadSnapshot(t)).checkpointVersion).toBe(1);
  });

  it('time travel reads each version', async () => {
    const t = tempTable();
    await writeDelta(t, [row(0)], schema, { mode: 'append' });
    await writeDelta(t, [row(1), row(2)], schema, { mode: 'append' });
    await writeDelta(t, [row(3)], schema, { mode: 'overwrite' });
    expect((await readDelta(t, { version: 0 })).rows.map((r) => r.id)).toEqual([0]);
    expect((await readDelta(t, { version: 1 })).rows.map((r) => r.id).sort()).toEqual([0, 1, 2]);
    expect((await readDelta(t, { version: 2 })).rows).toEqual([row(3)]);
    const e = await expectWeirError(() => readDelta(t, { version: 3 }), 'INVALID_ARGUMENT');
    expect(e.context.deltaError).toBe('DeltaFileNotFoundException');
  });
});

describe('Delta bad input', () => {
  async function table(): Promise<string> {
    const t = tempTable();
    for (let i = 0; i < 3; i++) await writeDelta(t, [row(i)], schema, { mode: 'append' });
    return t;
  }
  const log = (t: string, v: number) => path.join(t, '_delta_log', `${String(v).padStart(20, '0')}.json`);

  it('a torn commit file is DELTA_LOG_CORRUPT', async () => {
    const t = await table();
    const text = await fs.readFile(log(t, 2), 'utf8');
    await fs.writeFile(log(t, 2), text.slice(0, text.length - 20));
    const e = await expectWeirError(() => loadSnapshot(t), 'SOURCE_ERROR');
    expect(e.context.errorClass).toBe('DELTA_LOG_CORRUPT');
    await fs.writeFile(log(t, 2), '');
    expect((await expectWeirError(() => loadSnapshot(t), 'SOURCE_ERROR')).context.errorClass).toBe('DELTA_LOG_CORRUPT');
  });

  it('a missing version is DELTA_VERSIONS_NOT_CONTIGUOUS', async () => {
    const t = await table();
    await fs.rm(log(t, 1));
    const e = await expectWeirError(() => loadSnapshot(t), 'SOURCE_ERROR');
    expect(e.context).toMatchObject({ deltaError: 'DeltaIllegalStateException', errorClass: 'DELTA_VERSIONS_NOT_CONTIGUOUS', missingVersion: 1 });
  });

  it('an unknown reader or writer feature is DeltaUnsupportedTableFeatureException naming it', async () => {
    const t = await table();
    await fs.writeFile(log(t, 3), JSON.stringify({ protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] } }) + '\n');
    const e = await expectWeirError(() => readDelta(t), 'SOURCE_ERROR');
    expect(e.context).toMatchObject({ deltaError: 'DeltaUnsupportedTableFeatureException', errorClass: 'DELTA_UNSUPPORTED_FEATURES_FOR_READ', features: ['deletionVectors'] });
    await fs.writeFile(log(t, 3), JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['rowTracking'] } }) + '\n');
    expect((await readDelta(t)).rows).toHaveLength(3);
    const w = await expectWeirError(() => writeDelta(t, [row(9)], schema, { mode: 'append' }), 'SINK_ERROR');
    expect(w.context).toMatchObject({ errorClass: 'DELTA_UNSUPPORTED_FEATURES_FOR_WRITE', features: ['rowTracking'] });
    expect(await fs.readdir(path.join(t, '_delta_log'))).not.toContain('00000000000000000004.json');
    await fs.writeFile(log(t, 3), JSON.stringify({ protocol: { minReaderVersion: 4, minWriterVersion: 8 } }) + '\n');
    expect((await expectWeirError(() => readDelta(t), 'SOURCE_ERROR')).context.deltaError).toBe('InvalidProtocolVersionException');
  });

  it('a schema mismatch and a missing table are named errors, nothing committed', async () => {
    const t = await table();
    const e = await expectWeirError(() => writeDelta(t, [{ id: 1 }], StructType.fromDDL('id BIGINT'), { mode: 'append' }), 'INVALID_ARGUMENT');
    expect(e.context.errorClass).toBe('DELTA_METADATA_MISMATCH');
    expect((await loadSnapshot(t)).version).toBe(2);
    expect((await expectWeirError(() => loadSnapshot(tempTable()), 'PATH_NOT_FOUND')).context.errorClass).toBe('DELTA_MISSING_DELTA_TABLE');
  });
});
