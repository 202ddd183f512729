/**
 * Writing one batch of rows as data files under an output folder: grouped by partition (`partitionBy`), each
 * group encoded by its format into a hidden temp file (fsync), then all renamed to Spark's names
 * (`part-00000-<uuid>.c000.snappy.parquet`) and their folders fsynced. Shared by the streaming file sink and the
 * batch writer.
 *
 * Invariant: nothing is visible under a data name before its bytes are durable (readers skip hidden temp names);
 * every file lands strictly inside the output folder whatever the partition values (escaped segments, and a
 * resolved-path check as a second line of defence); the statuses returned describe exactly the renamed files.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Row } from '../contracts';
import { fsyncDirectory, mkdirsDurably } from '../checkpoint/durableWrite';
import { ErrorCodes, WeirError } from '../errors';
import { DataType, DateType, StructType, formatDate, formatTimestamp } from '../values/types';
import { fileUri, type SinkFileStatus } from './FileStreamSinkLog';
import type { FileFormat } from './FileFormat';
import type { FormatOptions } from './FormatOptions';
import { partitionDirectory } from './partitionPath';
import { valueToText } from './convertValue';

/** Where {@link writeDataFiles} may be interrupted in crash tests. */
export type DataFilesStage = 'afterDataFilesWritten' | 'afterDataFilesRenamed';

/** Options of {@link writeDataFiles}. */
export interface WriteDataFilesOptions {
  readonly outputPath: string;
  readonly format: FileFormat;
  readonly options: FormatOptions;
  readonly partitionBy?: readonly string[];
  /** The job id in file names (a fresh UUID by default). */
  readonly jobId?: string;
  /** Called between the steps (crash tests kill the process here). */
  readonly onStage?: (stage: DataFilesStage) => void | Promise<void>;
}

/** Spark's partition value text: timestamps as `yyyy-MM-dd HH:mm:ss[.SSS]`, others as CAST AS STRING. */
function partitionValueText(v: unknown, type: DataType): string | null {
  if (v instanceof Date) return type instanceof DateType ? formatDate(v.getTime()) : formatTimestamp(v.getTime());
  return valueToText(v, type, {});
}

/**
 * Asserts `target` is inside `root` (after resolving `..`), the last guard against a path escaping the output.
 *
 * @throws WeirError INVALID_ARGUMENT otherwise.
 */
export function assertInside(root: string, target: string): void {
  const r = path.resolve(root);
  const t = path.resolve(target);
  if (t !== r && !t.startsWith(r.endsWith(path.sep) ? r : `${r}${path.sep}`)) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `The path ${t} is outside the output folder ${r}`, { context: { path: t, outputPath: r } });
  }
}

/**
 * Writes `rows` (of `schema`) as data files and returns their statuses (empty for no rows).
 *
 * @throws WeirError INVALID_ARGUMENT for a partition column not in the schema, or an over-long partition value.
 */
export async function writeDataFiles(rows: readonly Row[], schema: StructType, o: WriteDataFilesOptions): Promise<SinkFileStatus[]> {
  if (rows.length === 0) return [];
  const partitionBy = o.partitionBy ?? [];
  const partitionFields = partitionBy.map((c) => {
    const f = schema.fields.find((x) => x.name === c);
    if (!f) {
      throw new WeirError(ErrorCodes.UNRESOLVED_COLUMN, `Partition column \`${c}\` not found in schema ${schema.simpleString()}`, {
        context: { column: c },
      });
    }
    return f;
  });
  const dataSchema = new StructType(schema.fields.filter((f) => !partitionBy.includes(f.name)));
  const groups = new Map<string, Row[]>();
  if (partitionFields.length === 0) {
    groups.set('', rows as Row[]);
  } else {
    for (const row of rows) {
      const dir = partitionDirectory(partitionFields.map((f) => [f.name, partitionValueText(row[f.name], f.dataType)] as const));
      let group = groups.get(dir);
      if (!group) groups.set(dir, (group = []));
      group.push(row);
    }
  }
  const root = path.resolve(o.outputPath);
  const jobId = o.jobId ?? randomUUID();
  const ext = o.format.extension(o.options);
  const pending: Array<{ temp: string; final: string; dir: string }> = [];
  let n = 0;
  for (const [relDir, groupRows] of groups) {
    const dir = relDir === '' ? root : path.join(root, ...relDir.split('/'));
    assertInside(root, path.join(dir, 'x'));
    const name = `part-00000-${jobId}.c${String(n++).padStart(3, '0')}${ext}`;
    // Encode first: a row the format cannot write fails the batch before any folder is made.
    const bytes = await o.format.write(groupRows, dataSchema, o.options);
    await mkdirsDurably(dir);
    const temp = path.join(dir, `.${name}.tmp`);
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    pending.push({ temp, final: path.join(dir, name), dir });
  }
  await o.onStage?.('afterDataFilesWritten');
  const statuses: SinkFileStatus[] = [];
  for (const p of pending) {
    await fs.rename(p.temp, p.final);
    const st = await fs.stat(p.final);
    statuses.push({
      path: fileUri(p.final),
      size: st.size,
      isDir: false,
      modificationTime: Math.floor(st.mtimeMs),
      blockReplication: 1,
      blockSize: 33554432,
      action: 'add',
    });
  }
  for (const dir of new Set(pending.map((p) => p.dir))) await fsyncDirectory(dir);
  await o.onStage?.('afterDataFilesRenamed');
  return statuses;
}
