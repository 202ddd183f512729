/**
 * The `text` file format: one row `{ value }` per line (or per file with `wholetext`), as Spark's text source.
 *
 * Invariant: the schema is exactly `value STRING`; every line is a row (no record is malformed); writing needs a
 * single string column and writes its values one per line, each ended by `lineSep` (nulls are not allowed, as
 * in Spark).
 */
import type { Row } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import { StringType, StructField, StructType } from '../values/types';
import type { FileFormat, FormatReadContext } from './FileFormat';
import type { FormatOptions } from './FormatOptions';
import { splitLines } from './lines';

/** Spark's schema of the text source. */
export const TEXT_SCHEMA = new StructType([new StructField('value', new StringType(), true)]);

/** The text format. */
export const textFormat: FileFormat = {
  name: 'text',
  extension: () => '.txt',

  readsSynchronously: true,
  read(bytes: Buffer, context: FormatReadContext): Row[] {
    const column = context.schema.fields[0]?.name ?? 'value';
    if (context.options.boolean('wholetext', false)) return [{ [column]: bytes.toString('utf8') }];
    const out: Row[] = [];
    for (const line of splitLines(bytes, context.options.get('lineSep'))) out.push({ [column]: line.text });
    return out;
  },

  write(rows: readonly Row[], schema: StructType, options: FormatOptions): Uint8Array {
    const fields = schema.fields;
    if (fields.length !== 1 || !(fields[0]?.dataType instanceof StringType)) {
      throw new WeirError(
        ErrorCodes.UNSUPPORTED_OPERATION,
        `Text data source supports only a single column, and you have ${fields.length} columns.`,
        { context: { format: 'text', columns: fields.map((f) => f.name) } },
      );
    }
    const name = (fields[0] as StructField).name;
    // Spark's text writer ends each line with `lineSep` (default \n).
    const eol = options.get('lineSep') || '\n';
    let out = '';
    for (const row of rows) {
      const v = row[name];
      if (v === null || v === undefined) {
        throw new WeirError(ErrorCodes.SINK_ERROR, 'The text format cannot write a null value', { context: { format: 'text', column: name } });
      }
      out += `${String(v)}${eol}`;
    }
    return Buffer.from(out, 'utf8');
  },

  inferSchema: () => TEXT_SCHEMA,
};
