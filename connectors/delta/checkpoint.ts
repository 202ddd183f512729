/**
 * Delta checkpoints (PROTOCOL.md "Checkpoints"): the reconciled state of a version as one Parquet file
 * `<version>.checkpoint.parquet` (read: multi-part `<v>.checkpoint.<part>.<parts>.parquet` too) with Delta's
 * checkpoint schema, one action per row, written through weir's Parquet format (hyparquet-writer), then
 * `_last_checkpoint`.
 *
 * Invariant: reading the checkpoint of version v gives the actions whose replay is the snapshot of v (protocol,
 * metaData, live adds, unexpired removes, txns); a checkpoint file is written put-if-absent (never replaces one),
 * and `_last_checkpoint` is written only after its checkpoint is durable, so the hint never names a missing file.
 */
import * as path from 'node:path';
import type { Row } from '../../lib/contracts';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { MalformedRecordHandler } from '../../lib/formats/parseMode';
import { parquetFormat } from '../../lib/formats/parquetFormat';
import { StructType } from '../../lib/values/types';
import type { Action, AddAction, MetadataAction, ProtocolAction, RemoveAction, TxnAction } from './actions';
import { logCorrupt } from './deltaErrors';
import { logDir, putIfAbsent, readLogFile, replaceFile, versionName } from './deltaLog';
import type { Snapshot } from './snapshot';

const DV = 'STRUCT<storageType: STRING, pathOrInlineDv: STRING, offset: INT, sizeInBytes: INT, cardinality: BIGINT>';

/** Delta's checkpoint schema (the columns Spark and delta-rs write; stats as JSON text). */
export const CHECKPOINT_SCHEMA: StructType = StructType.fromDDL(
  [
    'txn STRUCT<appId: STRING, version: BIGINT, lastUpdated: BIGINT>',
    'add STRUCT<path: STRING, partitionValues: MAP<STRING, STRING>, size: BIGINT, modificationTime: BIGINT, dataChange: BOOLEAN, ' +
      `stats: STRING, tags: MAP<STRING, STRING>, deletionVector: ${DV}, baseRowId: BIGINT, defaultRowCommitVersion: BIGINT>`,
    'remove STRUCT<path: STRING, deletionTimestamp: BIGINT, dataChange: BOOLEAN, extendedFileMetadata: BOOLEAN, ' +
      `partitionValues: MAP<STRING, STRING>, size: BIGINT, tags: MAP<STRING, STRING>, deletionVector: ${DV}, baseRowId: BIGINT, defaultRowCommitVersion: BIGINT>`,
    'metaData STRUCT<id: STRING, name: STRING, description: STRING, format: STRUCT<provider: STRING, options: MAP<STRING, STRING>>, ' +
      'schemaString: STRING, partitionColumns: ARRAY<STRING>, configuration: MAP<STRING, STRING>, createdTime: BIGINT>',
    'protocol STRUCT<minReaderVersion: INT, minWriterVersion: INT, readerFeatures: ARRAY<STRING>, writerFeatures: ARRAY<STRING>>',
  ].join(', '),
);

/** The single-part checkpoint file name of a version. */
export function checkpointFileName(version: number): string {
  return `${versionName(version)}.checkpoint.parquet`;
}

/** A map read back (weir reads Parquet maps as `Map`) as a plain record. */
function record(v: unknown): Record<string, string | null> {
  if (v instanceof Map) {
    const o: Record<string, string | null> = {};
    for (const [k, e] of v) o[String(k)] = e === undefined ? null : (e as string | null);
    return o;
  }
  return (v as Record<string, string | null> | null) ?? {};
}

/** Drops null fields (absent optional fields of a checkpoint row read back as null). */
function compact<T>(o: Row): T {
  const out: Row = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out as T;
}

/** The actions of one checkpoint row. */
function actionsOfRow(r: Row, where: string): Action[] {
  const out: Action[] = [];
  const p = r.protocol as Row | null;
  if (p && p.minReaderVersion !== null && p.minReaderVersion !== undefined) out.push({ kind: 'protocol', protocol: compact<ProtocolAction>(p) });
  const m = r.metaData as Row | null;
  if (m && typeof m.id === 'string') {
    const format = (m.format as Row | null) ?? { provider: 'parquet', options: null };
    out.push({
      kind: 'metaData',
      metaData: compact<MetadataAction>({
        ...m,
        format: { provider: (format.provider as string) ?? 'parquet', options: record(format.options) },
        configuration: record(m.configuration),
        partitionColumns: (m.partitionColumns as string[] | null) ?? [],
      }),
    });
  }
  const t = r.txn as Row | null;
  if (t && typeof t.appId === 'string') out.push({ kind: 'txn', txn: compact<TxnAction>(t) });
  const a = r.add as Row | null;
  if (a && typeof a.path === 'string') {
    out.push({ kind: 'add', add: compact<AddAction>({ ...a, partitionValues: record(a.partitionValues), ...(a.tags ? { tags: record(a.tags) } : {}) }) });
  }
  const d = r.remove as Row | null;
  if (d && typeof d.path === 'string') {
    out.push({ kind: 'remove', remove: compact<RemoveAction>({ ...d, ...(d.partitionValues ? { partitionValues: record(d.partitionValues) } : {}), ...(d.tags ? { tags: record(d.tags) } : {}) }) });
  }
  if (out.length > 1) throw logCorrupt(where, 'a checkpoint row holds more than one action');
  return out;
}

/** The actions of a checkpoint (all its parts, in part order). */
export async function readCheckpoint(tablePath: string, names: readonly string[]): Promise<Action[]> {
  const out: Action[] = [];
  for (const name of names) {
    const file = path.join(logDir(tablePath), name);
    const bytes = await readLogFile(tablePath, name);
    if (!bytes) throw logCorrupt(file, 'the checkpoint file disappeared while it was read');
    let rows: Row[];
    try {
      rows = await parquetFormat.read(bytes, {
        path: file,
        schema: CHECKPOINT_SCHEMA,
        options: new FormatOptions(),
        malformed: new MalformedRecordHandler('FAILFAST', CHECKPOINT_SCHEMA),
      });
    } catch (e) {
      throw logCorrupt(file, `the checkpoint does not read as Parquet: ${(e as Error).message}`, e);
    }
    for (const r of rows) out.push(...actionsOfRow(r, file));
  }
  return out;
}

/** One checkpoint row per action of the snapshot (the others null). */
function checkpointRows(s: Snapshot, nowMs: number, tombstoneRetentionMs: number): Row[] {
  const empty = { txn: null, add: null, remove: null, metaData: null, protocol: null };
  const rows: Row[] = [
    { ...empty, protocol: { readerFeatures: null, writerFeatures: null, ...s.protocol } },
    { ...empty, metaData: { name: null, description: null, createdTime: null, ...s.metadata } },
  ];
  for (const t of s.txns.values()) rows.push({ ...empty, txn: { lastUpdated: null, ...t } });
  for (const a of s.files.values()) rows.push({ ...empty, add: { ...a, stats: a.stats ?? null } });
  for (const r of s.tombstones.values()) {
    if (r.deletionTimestamp !== undefined && r.deletionTimestamp !== null && r.deletionTimestamp < nowMs - tombstoneRetentionMs) continue;
    rows.push({ ...empty, remove: { ...r } });
  }
  return rows;
}

/** Delta's default `delta.deletedFileRetentionDuration` (interval 1 week). */
export const DEFAULT_TOMBSTONE_RETENTION_MS = 7 * 86_400_000;

/**
 * Writes the checkpoint of snapshot `s` and then `_last_checkpoint`. Returns false when a checkpoint of that
 * version exists already (another writer made it; `_last_checkpoint` is then left to it).
 */
export async function writeCheckpoint(s: Snapshot, nowMs: number, tombstoneRetentionMs = DEFAULT_TOMBSTONE_RETENTION_MS): Promise<boolean> {
  const rows = checkpointRows(s, nowMs, tombstoneRetentionMs);
  const bytes = await parquetFormat.write(rows, CHECKPOINT_SCHEMA, new FormatOptions({ compression: 'snappy' }));
  if (!(await putIfAbsent(s.tablePath, checkpointFileName(s.version), bytes))) return false;
  const last = { version: s.version, size: rows.length, sizeInBytes: bytes.byteLength, numOfAddFiles: s.files.size };
  await replaceFile(s.tablePath, '_last_checkpoint', JSON.stringify(last));
  return true;
}
