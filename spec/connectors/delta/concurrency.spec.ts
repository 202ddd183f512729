import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { StructType } from '../../../lib/values/types';
import { commit, loadSnapshot, readDelta, writeDelta } from '../../../connectors/delta';
import { expectWeirError } from '../../support/expectWeirError';
import { tempTable } from './support/tempTable';

const run = promisify(execFile);
const schema = StructType.fromDDL('writer STRING, n BIGINT');

async function create(t: string): Promise<void> {
  await writeDelta(t, [], schema, { mode: 'append' });
}

/** Every commit file 0..latest exists exactly once, and the table holds exactly the rows written. */
async function expectAllCommits(t: string, writers: Record<string, number>): Promise<void> {
  const names = (await fs.readdir(path.join(t, '_delta_log'))).filter((n) => /^\d{20}\.json$/.test(n)).sort();
  const total = Object.values(writers).reduce((a, b) => a + b, 0);
  expect(names).toHaveLength(total + 1);
  names.forEach((n, i) => expect(Number(n.slice(0, 20))).toBe(i));
  const rows = (await readDelta(t)).rows;
  for (const [w, count] of Object.entries(writers)) {
    expect(rows.filter((r) => r.writer === w).map((r) => r.n).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: count }, (_, i) => i));
  }
  expect(rows).toHaveLength(total);
}

describe('Delta concurrent writers', () => {
  it('two writers racing 50 blind appends each in one process: no commit lost, no version written twice', async () => {
    const t = tempTable();
    await create(t);
    const writer = async (w: string) => {
      const versions: number[] = [];
      for (let i = 0; i < 50; i++) versions.push((await writeDelta(t, [{ writer: w, n: i }], schema, { mode: 'append' })).version as number);
      return versions;
    };
    const [a, b] = await Promise.all([writer('a'), writer('b')]);
    expect(new Set([...a, ...b]).size).toBe(100);
    await expectAllCommits(t, { a: 50, b: 50 });
    expect((await loadSnapshot(t)).checkpointVersion).toBe(100);
  });

  it('two child processes racing 50 blind appends each: no commit lost, no version written twice', async () => {
    const t = tempTable();
    await create(t);
    const child = path.join(__dirname, 'support', 'appendChild.ts');
    const spawn = (w: string) => run(process.execPath, ['-r', '@swc-node/register', child, t, w, '50'], { cwd: path.resolve(__dirname, '../../..') });
    const [a, b] = await Promise.all([spawn('a'), spawn('b')]);
    const va = (JSON.parse(a.stdout) as { versions: number[] }).versions;
    const vb = (JSON.parse(b.stdout) as { versions: number[] }).versions;
    expect(new Set([...va, ...vb]).size).toBe(100);
    await expectAllCommits(t, { a: 50, b: 50 });
  }, 120_000);

  it('an overwrite that read the table fails with ConcurrentAppendException when a concurrent append won', async () => {
    const t = tempTable();
    await writeDelta(t, [{ writer: 'x', n: 0 }], schema, { mode: 'append' });
    const read = await loadSnapshot(t);
    await writeDelta(t, [{ writer: 'y', n: 1 }], schema, { mode: 'append' });
    const removes = [...read.files.values()].map((f) => ({ kind: 'remove' as const, remove: { path: f.path, dataChange: true, deletionTimestamp: 1 } }));
    const e = await expectWeirError(() => commit(t, read, removes, { operation: 'WRITE', readSet: { kind: 'all' } }), 'SINK_ERROR');
    expect(e.context).toMatchObject({ deltaError: 'ConcurrentAppendException', conflictingVersion: 1 });
    expect((await loadSnapshot(t)).version).toBe(1);
  });

  it('a concurrent delete of a read file is ConcurrentDeleteReadException, a metadata change MetadataChangedException', async () => {
    const t = tempTable();
    await writeDelta(t, [{ writer: 'x', n: 0 }], schema, { mode: 'append' });
    const read = await loadSnapshot(t);
    await writeDelta(t, [], schema, { mode: 'overwrite' }); // removes the file
    const e = await expectWeirError(() => commit(t, read, [], { operation: 'WRITE', readSet: { kind: 'all' } }), 'SINK_ERROR');
    expect(e.context.deltaError).toBe('ConcurrentDeleteReadException');
    const read2 = await loadSnapshot(t);
    await commit(t, read2, [{ kind: 'metaData', metaData: { ...read2.metadata, configuration: { 'delta.appendOnly': 'false' } } }], { operation: 'SET TBLPROPERTIES', readSet: { kind: 'none' } });
    const m = await expectWeirError(() => commit(t, read2, [], { operation: 'WRITE', readSet: { kind: 'none' } }), 'SINK_ERROR');
    expect(m.context.deltaError).toBe('MetadataChangedException');
  });

  it('a blind append that lost the race retries on the next version', async () => {
    const t = tempTable();
    await create(t);
    const read = await loadSnapshot(t);
    await writeDelta(t, [{ writer: 'other', n: 0 }], schema, { mode: 'append' });
    const r = await commit(t, read, [], { operation: 'WRITE', readSet: { kind: 'none' } });
    expect(r).toMatchObject({ version: 2, conflictsResolved: 1 });
  });
});
