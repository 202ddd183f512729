/**
 * The registry of file formats by Spark's short name.
 *
 * Invariant: `fileFormatOf(name)` is the only way the file source, sink, reader and writer find a format, so
 * they all accept the same names with the same errors.
 */
import { ErrorCodes, sparkError } from '../errors';
import { csvFormat } from './csvFormat';
import type { FileFormat } from './FileFormat';
import { jsonFormat } from './jsonFormat';
import { parquetFormat } from './parquetFormat';
import { textFormat } from './textFormat';

/** The file formats weir reads and writes. */
export const FILE_FORMATS: Readonly<Record<string, FileFormat>> = Object.freeze({
  text: textFormat,
  csv: csvFormat,
  json: jsonFormat,
  parquet: parquetFormat,
});

/** True when `name` is a file format. */
export function isFileFormat(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FILE_FORMATS, name.toLowerCase());
}

/**
 * The format named `name` (case-insensitive).
 *
 * @throws WeirError DATA_SOURCE_NOT_FOUND for another name.
 */
export function fileFormatOf(name: string): FileFormat {
  const format = isFileFormat(name) ? FILE_FORMATS[name.toLowerCase()] : undefined;
  if (format === undefined) {
    throw sparkError(ErrorCodes.DATA_SOURCE_NOT_FOUND, 'DATA_SOURCE_NOT_FOUND', { provider: name }, { context: { format: name } });
  }
  return format;
}
