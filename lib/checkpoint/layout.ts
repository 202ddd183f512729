/**
 * Spark's checkpoint layout, as paths relative to the checkpoint root:
 *
 *     metadata          {"id": "<query id>"}
 *     offsets/<N>       the write-ahead log: what batch N reads
 *     commits/<N>       batch N is done
 *     sources/<i>/      source-private metadata
 *     state/            operator state
 *     .lock             the live query holding the checkpoint
 *
 * Invariant: every module names these paths through this one file, so the layout is defined once.
 */
import * as path from 'node:path';
import { ErrorCodes, WeirError } from '../errors';

/** The query id file. */
export const METADATA_FILE = 'metadata';
/** The offsets log folder (write-ahead log). */
export const OFFSETS_DIR = 'offsets';
/** The commits log folder. */
export const COMMITS_DIR = 'commits';
/** The parent folder of the source-private folders. */
export const SOURCES_DIR = 'sources';
/** The operator state folder. */
export const STATE_DIR = 'state';
/** The lock file of the live query. */
export const LOCK_FILE = '.lock';

/** The file name of batch `batchId` in a metadata log: plain decimal, as Spark names them. */
export function batchFileName(batchId: number): string {
  assertBatchId(batchId);
  return String(batchId);
}

/** The batch id a log file name stands for, or `undefined` for any other name (only canonical decimals count). */
export function parseBatchFileName(name: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(name)) return undefined;
  const id = Number(name);
  return Number.isSafeInteger(id) ? id : undefined;
}

/** Throws INVALID_ARGUMENT unless `batchId` is a non-negative safe integer. */
export function assertBatchId(batchId: number): void {
  if (!Number.isSafeInteger(batchId) || batchId < 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `a batch id must be a non-negative integer, got ${batchId}`, {
      context: { batchId },
    });
  }
}

/**
 * Normalises a store-relative path to `a/b/c` form; `''` stands for the root. Throws INVALID_ARGUMENT for an
 * absolute path or one that climbs out of the root, so no caller can touch files outside a checkpoint.
 */
export function normalizeRelativePath(relative: string): string {
  const slashed = relative.replace(/\\/g, '/');
  const normalized = path.posix.normalize(slashed === '' ? '.' : slashed).replace(/\/+$/, '');
  if (path.posix.isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../')) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `checkpoint paths must stay inside the checkpoint: "${relative}"`, {
      context: { path: relative },
    });
  }
  return normalized === '.' ? '' : normalized;
}
