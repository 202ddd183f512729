/**
 * A throwaway checkpoint folder for one streaming run of the property kit, on a RAM file system when there is
 * one (/dev/shm): every micro-batch writes its offsets and commit durably (fsync), which on a disk costs more than
 * the batch itself, and a property runs hundreds of batches.
 */
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

let root: string | undefined;

function checkpointRoot(): string {
  if (root === undefined) {
    try {
      accessSync('/dev/shm', constants.W_OK);
      root = statSync('/dev/shm').isDirectory() ? '/dev/shm' : tmpdir();
    } catch {
      root = tmpdir();
    }
  }
  return root;
}

/** Runs `fn` with a fresh checkpoint folder and deletes the folder afterwards, also on failure. */
export async function withTempCheckpoint<T>(fn: (checkpointLocation: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(checkpointRoot(), 'weir-testing-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
