/**
 * Helpers of the file format specs: temp folders and reading one buffer through a format with a parse mode.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Row } from '../../lib/contracts';
import type { FileFormat } from '../../lib/formats/FileFormat';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { MalformedRecordHandler, parseModeOf } from '../../lib/formats/parseMode';
import { toSchema, type StructType } from '../../lib/values/types';

/** A temp folder removed after the suite. */
export function tempDirs(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return () => {
    const d = mkdtempSync(path.join(tmpdir(), `weir-${prefix}-`));
    made.push(d);
    return d;
  };
}

/** Reads `bytes` as `file` through `format` with `options` (mode included). */
export async function readWith(
  format: FileFormat,
  bytes: Buffer | string,
  schema: StructType | string,
  options: Record<string, string> = {},
  file = 'input.data',
): Promise<Row[]> {
  const s = toSchema(schema);
  const opts = new FormatOptions(options);
  const handler = new MalformedRecordHandler(parseModeOf(opts.get('mode')), s, opts.get('columnNameOfCorruptRecord'));
  return format.read(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes, { path: file, schema: s, options: opts, malformed: handler });
}
