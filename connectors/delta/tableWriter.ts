/**
 * Writing rows to a Delta table: Parquet data files (weir's Parquet format, Spark's partition folders and
 * escaping), one `add` per file with its partition values and stats, then one commit (append; overwrite = remove
 * every live file and add the new ones), creating the table (reader 1 / writer 2) when it does not exist.
 *
 * Invariant: data files are durable under fresh unique names before the commit that adds them is attempted,
 * and nothing references them until that commit exists, so a failed or crashed write leaves the table exactly as
 * it was (orphan files no snapshot lists); a write with `txn` whose version the snapshot already holds for its
 * appId writes nothing at all (idempotent writes, as Delta's streaming sink and `txnAppId`/`txnVersion`).
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { mkdirsDurably, writeFileDurably } from '../../lib/checkpoint/durableWrite';
import type { Clock, Row } from '../../lib/contracts';
import { isWeirError, ErrorCodes } from '../../lib/errors';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { parquetFormat } from '../../lib/formats/parquetFormat';
import { partitionDirectory } from '../../lib/formats/partitionPath';
import { DateType, StructType, castToString, formatDate, formatTimestamp, type DataType } from '../../lib/values/types';
import type { Action, AddAction, MetadataAction } from './actions';
import { commit, type CommitResult } from './commit';
import { deltaAnalysis } from './deltaErrors';
import { computeStats } from './fileStats';
import { loadSnapshot, snapshotSchema, type Snapshot } from './snapshot';
import { relativeUri } from './tablePaths';
import { DEFAULT_PROTOCOL, checkWrite } from './tableFeatures';

/** Options of {@link writeDelta}. */
export interface DeltaWriteOptions {
  readonly mode: 'append' | 'overwrite';
  /** Partition columns of a new table (must match the table's when it exists). */
  readonly partitionBy?: readonly string[];
  /** Table properties of a new table (`delta.checkpointInterval`, `delta.appendOnly`, ...). */
  readonly configuration?: Readonly<Record<string, string>>;
  /** Idempotent write: skipped when the table's txn of `appId` is at `version` or later. */
  readonly txn?: { readonly appId: string; readonly version: number };
  readonly clock?: Pick<Clock, 'now'>;
  /** Spark's operation name in commitInfo (default `WRITE`). */
  readonly operation?: string;
  readonly operationParameters?: Readonly<Record<string, string>>;
  /** Parquet compression (default snappy). */
  readonly compression?: string;
  /** Called after the data files are durable and before the commit (crash tests). */
  readonly onStage?: (stage: 'afterDataFilesWritten') => void | Promise<void>;
}

/** What a write did. */
export interface DeltaWriteResult {
  /** The committed version; undefined when the write was skipped (its txn version was already committed). */
  readonly version: number | undefined;
  readonly skipped: boolean;
  readonly added: readonly AddAction[];
  readonly commit?: CommitResult;
}

/** Delta's partition value text: dates `yyyy-MM-dd`, timestamps `yyyy-MM-dd HH:mm:ss[.S]`, others CAST AS STRING. */
export function partitionValueText(v: unknown, type: DataType): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return type instanceof DateType ? formatDate(v.getTime()) : formatTimestamp(v.getTime());
  const s = castToString(v, type);
  return s === '' ? null : s;
}

/** The snapshot of a table, or undefined when there is no table at `tablePath` yet. */
export async function snapshotIfExists(tablePath: string): Promise<Snapshot | undefined> {
  try {
    return await loadSnapshot(tablePath);
  } catch (e) {
    if (isWeirError(e, ErrorCodes.PATH_NOT_FOUND)) return undefined;
    throw e;
  }
}

/** Schema enforcement: the rows' schema must be the table's (names, types; Delta's DELTA_METADATA_MISMATCH). */
function checkSchema(tablePath: string, table: StructType, data: StructType): void {
  const same =
    table.fields.length === data.fields.length &&
    table.fields.every((f, i) => {
      const g = data.fields[i];
      return g !== undefined && g.name.toLowerCase() === f.name.toLowerCase() && g.dataType.equals(f.dataType);
    });
  if (!same) {
    throw deltaAnalysis(
      'DELTA_METADATA_MISMATCH',
      `A schema mismatch detected when writing to the Delta table ${tablePath}.\nTable schema:\n${table.treeString()}\nData schema:\n${data.treeString()}`,
      { path: tablePath },
    );
  }
}

/** Writes the data files of `rows` and returns their `add` actions. */
async function writeFiles(tablePath: string, rows: readonly Row[], schema: StructType, partitionColumns: readonly string[], o: DeltaWriteOptions, nowMs: number): Promise<AddAction[]> {
  if (rows.length === 0) return [];
  const partFields = partitionColumns.map((c) => {
    const f = schema.fields.find((x) => x.name === c);
    if (!f) throw deltaAnalysis('DELTA_PARTITION_COLUMN_NOT_FOUND', `Partition column \`${c}\` not found in schema ${schema.simpleString()}`, { column: c });
    return f;
  });
  const dataSchema = new StructType(schema.fields.filter((f) => !partitionColumns.includes(f.name)));
  const groups = new Map<string, { values: Record<string, string | null>; dir: string; rows: Row[] }>();
  for (const r of rows) {
    const values: Record<string, string | null> = {};
    for (const f of partFields) values[f.name] = partitionValueText(r[f.name], f.dataType);
    const dir = partFields.length === 0 ? '' : partitionDirectory(partFields.map((f) => [f.name, values[f.name] ?? null] as const));
    let g = groups.get(dir);
    if (!g) groups.set(dir, (g = { values, dir, rows: [] }));
    g.rows.push(r);
  }
  const options = new FormatOptions({ compression: o.compression ?? 'snappy' });
  const ext = parquetFormat.extension(options);
  const jobId = randomUUID();
  const adds: AddAction[] = [];
  let n = 0;
  for (const g of groups.values()) {
    const name = `part-${String(n).padStart(5, '0')}-${jobId}.c000${ext}`;
    n += 1;
    const bytes = await parquetFormat.write(g.rows, dataSchema, options);
    const segments = g.dir === '' ? [name] : [...g.dir.split('/'), name];
    const file = path.join(path.resolve(tablePath), ...segments);
    await mkdirsDurably(path.dirname(file));
    await writeFileDurably(file, bytes, { overwrite: false });
    const st = await fs.stat(file);
    adds.push({
      path: relativeUri(segments),
      partitionValues: g.values,
      size: st.size,
      modificationTime: Math.floor(st.mtimeMs) || nowMs,
      dataChange: true,
      stats: JSON.stringify(computeStats(g.rows, dataSchema)),
    });
  }
  return adds;
}

/**
 * Writes `rows` (of `schema`) to the Delta table at `tablePath`.
 *
 * @throws WeirError INVALID_ARGUMENT (schema or partitioning mismatch), SINK_ERROR (a conflict or an unsupported
 *   feature, Delta's exception in `context.deltaError`).
 */
export async function writeDelta(tablePath: string, rows: readonly Row[], schema: StructType, o: DeltaWriteOptions): Promise<DeltaWriteResult> {
  const clock = o.clock ?? { now: () => Date.now() };
  const snapshot = await snapshotIfExists(tablePath);
  let partitionColumns = o.partitionBy ?? [];
  const actions: Action[] = [];
  if (snapshot) {
    checkWrite(tablePath, snapshot.protocol, snapshot.metadata, o.mode === 'overwrite');
    checkSchema(tablePath, snapshotSchema(snapshot), schema);
    const tableParts = snapshot.metadata.partitionColumns;
    if (o.partitionBy && (o.partitionBy.length !== tableParts.length || o.partitionBy.some((c, i) => c !== tableParts[i]))) {
      throw deltaAnalysis(
        'DELTA_PARTITION_COLUMNS_MISMATCH',
        `Partition columns do not match the partition columns of the table.\nGiven: [${o.partitionBy.join(', ')}]\nTable: [${tableParts.join(', ')}]`,
        { path: tablePath },
      );
    }
    partitionColumns = tableParts;
    if (o.txn && (snapshot.txns.get(o.txn.appId)?.version ?? -1) >= o.txn.version) {
      return { version: undefined, skipped: true, added: [] };
    }
  } else {
    const metaData: MetadataAction = {
      id: randomUUID(),
      format: { provider: 'parquet', options: {} },
      schemaString: schema.json(),
      partitionColumns: [...partitionColumns],
      configuration: { ...(o.configuration ?? {}) },
      createdTime: clock.now(),
    };
    actions.push({ kind: 'protocol', protocol: DEFAULT_PROTOCOL }, { kind: 'metaData', metaData });
  }
  const now = clock.now();
  const added = await writeFiles(tablePath, rows, schema, partitionColumns, o, now);
  await o.onStage?.('afterDataFilesWritten');
  if (o.mode === 'overwrite' && snapshot) {
    for (const f of snapshot.files.values()) {
      actions.push({
        kind: 'remove',
        remove: {
          path: f.path,
          deletionTimestamp: now,
          dataChange: true,
          extendedFileMetadata: true,
          partitionValues: f.partitionValues,
          size: f.size,
          ...(f.deletionVector ? { deletionVector: f.deletionVector } : {}),
        },
      });
    }
  }
  for (const a of added) actions.push({ kind: 'add', add: a });
  if (o.txn) actions.push({ kind: 'txn', txn: { appId: o.txn.appId, version: o.txn.version, lastUpdated: now } });
  const result = await commit(tablePath, snapshot, actions, {
    operation: o.operation ?? (snapshot ? 'WRITE' : 'CREATE TABLE'),
    operationParameters: o.operationParameters ?? { mode: o.mode === 'overwrite' ? 'Overwrite' : 'Append', partitionBy: JSON.stringify(partitionColumns) },
    readSet: o.mode === 'overwrite' ? { kind: 'all' } : { kind: 'none' },
    clock,
  });
  return { version: result.version, skipped: false, added, commit: result };
}
