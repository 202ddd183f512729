/**
 * What reading files of one format needs, resolved once: the data schema (what is in the files), the partition
 * columns discovered from `key=value` folders, the options and the parse mode. Shared by the streaming file
 * source and the batch reader, so both give the same rows for the same files.
 *
 * Invariant: `readFile` returns rows of exactly `schema` = data fields then partition fields (Spark's order);
 * partition values come from the file's folders, converted to the partition field's type (null when the
 * folder is missing or does not convert); schema and partitions are fixed when the scan is resolved.
 */
import { constants as bufferConstants } from 'node:buffer';
import { promises as fs, readFileSync } from 'node:fs';
import type { Row } from '../contracts';
import { ErrorCodes, WeirError, isWeirError } from '../errors';
import { DataType, StringType, StructField, StructType } from '../values/types';
import { BadValue, csvToValue } from './convertValue';
import type { FileFormat } from './FileFormat';
import { fileFormatOf } from './fileFormats';
import type { FormatOptions } from './FormatOptions';
import { inferTokenType, mergeTokenTypes } from './inferTokenType';
import { missingDataFileError, warnSkippedFile, type InputFile } from './listInputFiles';
import { DEFAULT_CORRUPT_RECORD_COLUMN, MalformedRecordHandler, parseModeOf, type ParseMode } from './parseMode';
import { parsePartitionPath } from './partitionPath';

/** A resolved scan. */
export interface FileScan {
  readonly format: FileFormat;
  readonly options: FormatOptions;
  /** Fields read from the files. */
  readonly dataSchema: StructType;
  /** Fields taken from partition folders. */
  readonly partitionSchema: StructType;
  /** dataSchema then partitionSchema. */
  readonly schema: StructType;
  readonly mode: ParseMode;
  readonly corruptColumn: string;
}

/** How to resolve a scan. */
export interface ResolveFileScanOptions {
  readonly format: string;
  readonly options: FormatOptions;
  /** The user's schema; absent = infer from `files` (batch reads, or streaming with schemaInference). */
  readonly userSchema?: StructType;
  /** Files present now (partition discovery and inference look at them). */
  readonly files: readonly InputFile[];
  /** Streaming reads need a schema unless inference is on (Spark's rule). */
  readonly streaming?: boolean;
  readonly schemaInference?: boolean;
}

/** Spark's message when a streaming file source has no schema. */
export const SCHEMA_REQUIRED_MESSAGE =
  'Schema must be specified when creating a streaming source DataFrame. If some files already exist in the ' +
  "directory, then depending on the file format you may be able to create a static DataFrame on that directory with 'spark.read.load(directory)' " +
  'and infer schema from it.';

/** Discovered partition columns and their inferred types (in folder order). */
export function discoverPartitions(files: readonly InputFile[]): Array<{ name: string; type: DataType }> {
  const columns: Array<{ name: string; type: DataType | undefined }> = [];
  for (const f of files) {
    const pairs = parsePartitionPath(f.relative);
    if (!pairs || pairs.length === 0) continue;
    pairs.forEach(([name, value], i) => {
      const col = columns[i] ?? (columns[i] = { name, type: undefined });
      if (col.name !== name) return; // inconsistent layouts: Spark fails; weir keeps the first layout
      if (value !== null) col.type = col.type === undefined ? inferTokenType(value) : mergeTokenTypes(col.type, inferTokenType(value));
    });
  }
  return columns.map((c) => ({ name: c.name, type: c.type ?? new StringType() }));
}

const MAX_INFERENCE_FILES = 1000;

/**
 * Resolves a scan over `files`.
 *
 * @throws WeirError INVALID_ARGUMENT (Spark's "Schema must be specified ...") for a streaming read without a
 * schema and without `spark.sql.streaming.schemaInference`; UNSUPPORTED_OPERATION for a text schema that is not
 * one string column.
 */
export function resolveFileScan(o: ResolveFileScanOptions): FileScan {
  const format = fileFormatOf(o.format);
  const mode = parseModeOf(o.options.get('mode'));
  const corruptColumn = o.options.get('columnNameOfCorruptRecord') ?? DEFAULT_CORRUPT_RECORD_COLUMN;
  const partitions = discoverPartitions(o.files);
  let dataSchema: StructType;
  let partitionFields: StructField[];
  if (o.userSchema !== undefined) {
    const names = new Set(partitions.map((p) => p.name));
    dataSchema = new StructType(o.userSchema.fields.filter((f) => !names.has(f.name)));
    partitionFields = partitions.map((p) => o.userSchema?.fields.find((f) => f.name === p.name) ?? new StructField(p.name, p.type, true));
  } else {
    if (o.streaming && !o.schemaInference && format.name !== 'text') {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, SCHEMA_REQUIRED_MESSAGE, { context: { format: format.name } });
    }
    const sample = o.files.slice(0, MAX_INFERENCE_FILES);
    const loaded = sample.map((f) => ({ path: f.path, bytes: readFileSync(f.path) }));
    const inferred = format.inferSchema(loaded, o.options);
    if (inferred.fields.length === 0 && format.name !== 'text') {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for ${format.name.toUpperCase()}. It must be specified manually.`,
        { context: { format: format.name } },
      );
    }
    const names = new Set(partitions.map((p) => p.name));
    dataSchema = new StructType(inferred.fields.filter((f) => !names.has(f.name)));
    partitionFields = partitions.map((p) => new StructField(p.name, p.type, true));
  }
  if (format.name === 'text' && (dataSchema.fields.length !== 1 || !(dataSchema.fields[0]?.dataType instanceof StringType))) {
    throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, `Text data source supports only a single column, and you have ${dataSchema.fields.length} columns.`, {
      context: { format: 'text' },
    });
  }
  const partitionSchema = new StructType(partitionFields);
  return {
    format,
    options: o.options,
    dataSchema,
    partitionSchema,
    schema: new StructType([...dataSchema.fields, ...partitionFields]),
    mode,
    corruptColumn,
  };
}

function partitionValue(text: string | null, type: DataType): unknown {
  if (text === null) return null;
  try {
    return csvToValue(text, type, 'partition', {});
  } catch (e) {
    if (e instanceof BadValue) return null;
    throw e;
  }
}

/**
 * The rows of one file under `scan`, partition values added. A file that is gone gives no rows when the read
 * option `ignoreMissingFiles` is true (Spark's rule, with a warning).
 *
 * @throws WeirError MALFORMED_RECORD (FAILFAST) naming the file and line; DATA_FILE_MISSING for a file that is gone;
 * DATA_FILE_DAMAGED for a committed file whose size differs from its log's; SOURCE_ERROR when it cannot be read.
 */
export async function readFile(scan: FileScan, file: InputFile, batchId?: number, splitBytes = LINE_SPLIT_BYTES): Promise<Row[]> {
  const bytes = await readFileBytes(file, batchId, ignoreMissingFilesOf(scan.options));
  if (bytes === undefined) return [];
  const out: Row[][] = [];
  for (const range of rangesOf(scan, bytes, splitBytes)) {
    const rows = scan.format.read(range, readContext(scan, file, batchId));
    out.push(rows instanceof Promise ? await rows : rows);
  }
  return withPartitionValues(scan, file, out.length === 1 ? (out[0] as Row[]) : ([] as Row[]).concat(...out));
}

/**
 * Line-delimited content larger than this is parsed range by range, each range ending at a newline: a V8 string
 * holds at most 2^29 - 24 characters, so one string of a 2 GiB file cannot exist (Spark splits files too).
 */
export const LINE_SPLIT_BYTES = 256 * 1024 * 1024;

/** True when the scan's records are one per `\n`-ended line of UTF-8 (JSON lines, text), so ranges cut at newlines parse alike. */
function splitsAtNewlines(scan: FileScan): boolean {
  if (scan.format.name !== 'json' && scan.format.name !== 'text') return false;
  const o = scan.options;
  if (o.boolean('multiLine', false) || o.boolean('wholetext', false) || o.get('lineSep') !== undefined) return false;
  const charset = (o.get('encoding') ?? o.get('charset'))?.toLowerCase().replace(/[-_]/g, '');
  return charset === undefined || charset === 'utf8';
}

/** `bytes` as ranges of at least `maxBytes` that end after a `\n` (the last range ends where the file does). */
export function lineRanges(bytes: Buffer, maxBytes: number): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  while (bytes.length - from > maxBytes) {
    const nl = bytes.indexOf(0x0a, from + maxBytes - 1);
    if (nl < 0) break;
    out.push(bytes.subarray(from, nl + 1));
    from = nl + 1;
  }
  if (from < bytes.length || out.length === 0) out.push(bytes.subarray(from));
  return out;
}

function rangesOf(scan: FileScan, bytes: Buffer, splitBytes: number): Buffer[] {
  return bytes.length > splitBytes && splitsAtNewlines(scan) ? lineRanges(bytes, splitBytes) : [bytes];
}

/** Spark's read option `ignoreMissingFiles` (default false). */
export function ignoreMissingFilesOf(options: FormatOptions): boolean {
  return options.boolean(IGNORE_MISSING_FILES, false);
}

/** The read option's name (Spark's `ignoreMissingFiles`; the session conf is `spark.sql.files.ignoreMissingFiles`). */
export const IGNORE_MISSING_FILES = 'ignoreMissingFiles';

/** The largest read `fs.readFile` does at once (Node's kIoMaxLength, 2 GiB - 1): bigger files are read in ranges. */
export const MAX_SINGLE_READ_BYTES = 2 ** 31 - 1;

/**
 * The whole content of `file`: one read up to `rangeBytes`, else range by range into one buffer (`fs.readFile`
 * refuses files of 2 GiB and more, ERR_FS_FILE_TOO_LARGE). Exported for the test of the ranged path.
 */
export async function readWholeFile(file: string, rangeBytes = MAX_SINGLE_READ_BYTES): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size <= rangeBytes) return await handle.readFile();
    if (size > bufferConstants.MAX_LENGTH) {
      throw new WeirError(
        ErrorCodes.SOURCE_ERROR,
        `File ${file} has ${size} bytes, more than one buffer of this Node.js can hold (${bufferConstants.MAX_LENGTH} bytes): split it ` +
          'into smaller files (Node.js 22 and later hold larger buffers).',
        { context: { path: file, size, maxBytes: bufferConstants.MAX_LENGTH, reason: 'file-too-large' } },
      );
    }
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(out, at, Math.min(rangeBytes, size - at), at);
      if (bytesRead === 0) break; // shrank while read: the size check below names it
      at += bytesRead;
    }
    return at === size ? out : out.subarray(0, at);
  } finally {
    await handle.close();
  }
}

/**
 * The bytes of one file; undefined when it is gone and `ignoreMissingFiles` is set (a warning is logged).
 *
 * @throws WeirError DATA_FILE_MISSING for a file that is gone; DATA_FILE_DAMAGED for a committed file (one with
 * `committedSize`) of another size; SOURCE_ERROR when it cannot be read.
 */
export async function readFileBytes(file: InputFile, batchId?: number, ignoreMissingFiles = false): Promise<Buffer | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readWholeFile(file.path);
  } catch (e) {
    if (isWeirError(e)) throw e; // a file too large for one buffer, named by readWholeFile
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      if (ignoreMissingFiles) {
        warnSkippedFile(file.path);
        return undefined;
      }
      throw missingDataFileError(file.path, batchId !== undefined ? `batch ${batchId} reads it` : 'it was listed', batchId);
    }
    throw new WeirError(ErrorCodes.SOURCE_ERROR, `Could not read ${file.path}: ${(e as Error).message}`, {
      cause: e,
      context: { path: file.path, ...(batchId !== undefined ? { batchId } : {}) },
    });
  }
  if (file.committedSize !== undefined && bytes.byteLength !== file.committedSize) {
    throw new WeirError(
      ErrorCodes.DATA_FILE_DAMAGED,
      `Data file ${file.path} has ${bytes.byteLength} bytes, but its sink log records ${file.committedSize} bytes for it: the file ` +
        'was truncated or replaced after its batch was committed. Restore it from a backup, or write the output again with a new ' +
        'checkpoint into a new folder.',
      { context: { path: file.path, size: bytes.byteLength, committedSize: file.committedSize, reason: 'size-mismatch', ...(batchId !== undefined ? { batchId } : {}) } },
    );
  }
  return bytes;
}

/**
 * The rows of one file from its bytes, at once, for a format that `readsSynchronously` (see readFile).
 *
 * @throws WeirError MALFORMED_RECORD (FAILFAST) naming the file and line.
 */
export function parseFileSync(scan: FileScan, file: InputFile, bytes: Buffer, batchId?: number, splitBytes = LINE_SPLIT_BYTES): Row[] {
  const ranges = rangesOf(scan, bytes, splitBytes);
  if (ranges.length > 1) return ([] as Row[]).concat(...ranges.map((range) => parseFileSync(scan, file, range, batchId, Infinity)));
  let rows: Row[] | Promise<Row[]>;
  try {
    rows = scan.format.read(bytes, readContext(scan, file, batchId));
  } catch (e) {
    // Parsed while the operators visit the rows: an unexpected parser failure keeps the code the eager read gave it.
    if (isWeirError(e)) throw e;
    throw new WeirError(ErrorCodes.SOURCE_ERROR, `Could not read ${file.path}: ${(e as Error)?.message ?? String(e)}`, {
      cause: e,
      context: { path: file.path, ...(batchId !== undefined ? { batchId } : {}) },
    });
  }
  if (rows instanceof Promise) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `The ${scan.format.name} format does not read synchronously`, {
      context: { format: scan.format.name, path: file.path },
    });
  }
  return withPartitionValues(scan, file, rows);
}

function readContext(scan: FileScan, file: InputFile, batchId: number | undefined) {
  const malformed = new MalformedRecordHandler(scan.mode, scan.dataSchema, scan.corruptColumn, batchId);
  return { path: file.path, schema: scan.dataSchema, options: scan.options, malformed };
}

/** `rows` with the partition values of `file`'s folders set (in place). */
function withPartitionValues(scan: FileScan, file: InputFile, rows: Row[]): Row[] {
  const partitionFields = scan.partitionSchema.fields;
  if (partitionFields.length === 0) return rows;
  const pairs = new Map(parsePartitionPath(file.relative) ?? []);
  const values = partitionFields.map((f) => [f.name, partitionValue(pairs.get(f.name) ?? null, f.dataType)] as const);
  for (const row of rows) for (const [k, v] of values) row[k] = v;
  return rows;
}

/**
 * The rows of `files` under `scan`, in order (a batch read: Spark reads a relation's files when an action runs).
 *
 * @throws WeirError as {@link readFile}.
 */
export async function readFiles(scan: FileScan, files: readonly InputFile[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const f of files) for (const r of await readFile(scan, f)) rows.push(r);
  return rows;
}
