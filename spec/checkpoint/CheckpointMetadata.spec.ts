import { readCheckpointMetadata, writeCheckpointMetadata } from '../../lib/checkpoint/CheckpointMetadata';
import { encodeLogFile } from '../../lib/checkpoint/logFile';
import { MemoryCheckpointStore } from '../../lib/checkpoint/MemoryCheckpointStore';
import { ErrorCodes, isWeirError } from '../../lib/errors';
import { rejectionOf } from './tempDir';

describe('CheckpointMetadata', () => {
  it('writes {"id":...} in the checksummed format and reads it back', async () => {
    const store = new MemoryCheckpointStore();
    expect(await readCheckpointMetadata(store)).toBeUndefined();
    await writeCheckpointMetadata(store, { id: '5f0c1b9e-1111-4222-8333-444455556666' });
    expect((await store.read('metadata'))?.toString().split('\n').slice(0, 2)).toEqual([
      'v1',
      '{"id":"5f0c1b9e-1111-4222-8333-444455556666"}',
    ]);
    expect(await readCheckpointMetadata(store)).toEqual({ kind: 'ok', value: { id: '5f0c1b9e-1111-4222-8333-444455556666' } });
  });

  it('never replaces an id unless told to', async () => {
    const store = new MemoryCheckpointStore();
    await writeCheckpointMetadata(store, { id: 'a' });
    expect(isWeirError(await rejectionOf(writeCheckpointMetadata(store, { id: 'b' })), ErrorCodes.LOG_ENTRY_CONFLICT)).toBe(true);
    await writeCheckpointMetadata(store, { id: 'b' }, { overwrite: true });
    expect(await readCheckpointMetadata(store)).toEqual({ kind: 'ok', value: { id: 'b' } });
  });

  it('reports torn, corrupt, malformed and newer files as statuses', async () => {
    const store = new MemoryCheckpointStore();
    const good = encodeLogFile(1, ['{"id":"q"}']);
    await store.writeAtomic('metadata', good.slice(0, 10));
    expect((await readCheckpointMetadata(store))?.kind).toBe('torn');
    await store.writeAtomic('metadata', good.replace('"q"', '"r"'));
    expect((await readCheckpointMetadata(store))?.kind).toBe('corrupt');
    await store.writeAtomic('metadata', encodeLogFile(1, ['{"id":""}']));
    expect((await readCheckpointMetadata(store))?.kind).toBe('corrupt');
    await store.writeAtomic('metadata', encodeLogFile(2, ['{"id":"q"}']));
    expect(await readCheckpointMetadata(store)).toEqual({ kind: 'unsupportedVersion', version: 2, maxVersion: 1 });
  });
});
