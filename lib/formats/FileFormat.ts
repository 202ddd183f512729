/**
 * What a file format is to weir: bytes of one file to rows of a schema, rows to bytes of one file, and a schema
 * inferred from sample files. The file source, the file sink and the batch reader/writer all go through it.
 *
 * Invariant: `read` gives rows of exactly `schema` (every field present, in-memory types of weir), applying the
 * parse mode to malformed records; `write` then `read` with the same schema gives the rows back.
 */
import type { Row } from '../contracts';
import type { StructType } from '../values/types';
import type { FormatOptions } from './FormatOptions';
import type { MalformedRecordHandler } from './parseMode';

/** What a read of one file knows. */
export interface FormatReadContext {
  /** The file (for errors and the corrupt-record handling). */
  readonly path: string;
  /** The data schema (partition columns excluded). */
  readonly schema: StructType;
  readonly options: FormatOptions;
  /** The parse mode applied to malformed records (CSV and JSON). */
  readonly malformed: MalformedRecordHandler;
}

/** One file format (`text`, `csv`, `json`, `parquet`). */
export interface FileFormat {
  readonly name: string;
  /** The file name suffix of written files, as Spark names them (`.json`, `.snappy.parquet`). */
  extension(options: FormatOptions): string;
  /** The rows of one file. */
  read(bytes: Buffer, context: FormatReadContext): Row[] | Promise<Row[]>;
  /**
   * True when `read` always returns its rows at once (never a Promise): a streaming file source then parses each
   * file when the batch's operators reach it (Source.readChunks), so one file's rows are live at a time.
   */
  readonly readsSynchronously?: boolean;
  /** One file holding `rows` (of `schema`). */
  write(rows: readonly Row[], schema: StructType, options: FormatOptions): Uint8Array | Promise<Uint8Array>;
  /** A schema from sample files (Spark's inference for the format). */
  inferSchema(files: ReadonlyArray<{ readonly path: string; readonly bytes: Buffer }>, options: FormatOptions): StructType;
}
