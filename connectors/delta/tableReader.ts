/**
 * Reading a Delta table as rows: the live files of a snapshot (latest or a given version: time travel), each
 * read with the table schema's data columns, partition columns added back from `partitionValues` with their
 * types from the schema.
 *
 * Invariant: the rows are exactly those of the snapshot's live files, in snapshot file order, each with every
 * field of the table schema; a file with a deletion vector is never read as if it had none (refused by the
 * protocol check, and again per file).
 */
import { promises as fs } from 'node:fs';
import type { Row } from '../../lib/contracts';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { MalformedRecordHandler } from '../../lib/formats/parseMode';
import { parquetFormat } from '../../lib/formats/parquetFormat';
import { StringType, StructType, castValue } from '../../lib/values/types';
import { unsupportedFeatures } from './deltaErrors';
import { loadSnapshot, snapshotSchema, type Snapshot } from './snapshot';
import { localFile } from './tablePaths';

/** Options of {@link readDelta}. */
export interface DeltaReadOptions {
  /** Time travel: the table as of this version (Delta's `versionAsOf`). */
  readonly version?: number;
}

/** A table read. */
export interface DeltaReadResult {
  readonly version: number;
  readonly schema: StructType;
  readonly rows: Row[];
  readonly snapshot: Snapshot;
}

/** The rows of one snapshot's live files. */
export async function readSnapshotRows(snapshot: Snapshot): Promise<Row[]> {
  const schema = snapshotSchema(snapshot);
  const parts = snapshot.metadata.partitionColumns;
  const dataSchema = new StructType(schema.fields.filter((f) => !parts.includes(f.name)));
  const partFields = schema.fields.filter((f) => parts.includes(f.name));
  const options = new FormatOptions();
  const out: Row[] = [];
  for (const add of snapshot.files.values()) {
    if (add.deletionVector) throw unsupportedFeatures(snapshot.tablePath, 'read', ['deletionVectors']);
    const file = localFile(snapshot.tablePath, add.path);
    const bytes = await fs.readFile(file);
    const rows = await parquetFormat.read(bytes, { path: file, schema: dataSchema, options, malformed: new MalformedRecordHandler('FAILFAST', dataSchema) });
    const pv = partFields.map((f) => {
      const text = add.partitionValues[f.name];
      return [f.name, text === null || text === undefined ? null : castValue(text, f.dataType, new StringType())] as const;
    });
    for (const r of rows) {
      const row: Row = {};
      for (const f of schema.fields) row[f.name] = r[f.name];
      for (const [k, v] of pv) row[k] = v;
      out.push(row);
    }
  }
  return out;
}

/**
 * Reads the Delta table at `tablePath`.
 *
 * @throws WeirError PATH_NOT_FOUND (not a table), INVALID_ARGUMENT (no such version), SOURCE_ERROR (corrupt
 *   log, missing version, unsupported feature).
 */
export async function readDelta(tablePath: string, o: DeltaReadOptions = {}): Promise<DeltaReadResult> {
  const snapshot = await loadSnapshot(tablePath, o.version);
  return { version: snapshot.version, schema: snapshotSchema(snapshot), rows: await readSnapshotRows(snapshot), snapshot };
}
