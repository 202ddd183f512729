/**
 * Spark's parse modes for CSV and JSON (`mode`: PERMISSIVE, DROPMALFORMED, FAILFAST) and what each does with a
 * malformed record.
 *
 * Invariant: a malformed record is handled in exactly one place, {@link MalformedRecordHandler.malformed}:
 * PERMISSIVE keeps the row (the fields that did parse, the rest null, the raw text in
 * `columnNameOfCorruptRecord` when the schema has that column), DROPMALFORMED drops it, FAILFAST throws
 * MALFORMED_RECORD naming the file and the line, so the batch fails and nothing of it is committed.
 */
import type { Row } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import { StringType, type StructType } from '../values/types';

/** Spark's parse modes. */
export type ParseMode = 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST';

/** Spark's default name of the corrupt-record column (`spark.sql.columnNameOfCorruptRecord`). */
export const DEFAULT_CORRUPT_RECORD_COLUMN = '_corrupt_record';

/**
 * Reads the `mode` option (case-insensitive; Spark falls back to PERMISSIVE for an unknown mode and logs a
 * warning, weir rejects it so a typo is seen).
 *
 * @throws WeirError INVALID_ARGUMENT for an unknown mode.
 * @example
 * ```ts
 * parseModeOf('failFast')  // 'FAILFAST'
 * ```
 */
export function parseModeOf(mode: string | undefined): ParseMode {
  if (mode === undefined) return 'PERMISSIVE';
  const m = mode.toUpperCase();
  if (m === 'PERMISSIVE' || m === 'DROPMALFORMED' || m === 'FAILFAST') return m;
  throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${mode} is not a valid parse mode. Valid modes are PERMISSIVE, DROPMALFORMED and FAILFAST.`, {
    context: { option: 'mode', value: mode },
  });
}

/** Where a record came from, for errors. */
export interface RecordLocation {
  readonly path: string;
  /** 1-based line of the record's start in the file. */
  readonly line: number;
}

/**
 * Applies the parse mode to malformed records of one schema.
 *
 * @example
 * ```ts
 * const handler = new MalformedRecordHandler('DROPMALFORMED', schema, '_corrupt_record');
 * handler.malformed({ id: 1, name: null }, '{"id":1,"name":', { path: 'a.json', line: 3 }, 'truncated');  // undefined (dropped)
 * ```
 */
export class MalformedRecordHandler {
  /** The corrupt-record column if the schema has it as a STRING field (Spark ignores it otherwise). */
  readonly corruptColumn: string | undefined;
  /** Malformed records seen (kept or dropped). */
  malformedCount = 0;

  constructor(
    readonly mode: ParseMode,
    readonly schema: StructType,
    corruptColumn: string = DEFAULT_CORRUPT_RECORD_COLUMN,
    /** The batch being read, for the FAILFAST error's context. */
    private readonly batchId?: number,
  ) {
    const field = schema.fields.find((f) => f.name === corruptColumn);
    this.corruptColumn = field !== undefined && field.dataType instanceof StringType ? corruptColumn : undefined;
  }

  /**
   * A malformed record: the row with what did parse (`partial`, may be undefined when nothing parsed), its raw
   * text, where it is and why it is malformed. Returns the row to keep, or undefined to drop it.
   *
   * @throws WeirError MALFORMED_RECORD in FAILFAST mode.
   */
  malformed(partial: Row | undefined, raw: string, where: RecordLocation, reason: string): Row | undefined {
    this.malformedCount += 1;
    if (this.mode === 'DROPMALFORMED') return undefined;
    if (this.mode === 'FAILFAST') {
      throw new WeirError(
        ErrorCodes.MALFORMED_RECORD,
        '[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: ' +
          `${raw.length > 200 ? `${raw.slice(0, 200)}...` : raw}. Parse Mode: FAILFAST. To process malformed records ` +
          `as null result, try setting the option 'mode' as 'PERMISSIVE'. (file ${where.path}, line ${where.line}: ${reason})`,
        { context: { path: where.path, line: where.line, reason, ...(this.batchId !== undefined ? { batchId: this.batchId } : {}) } },
      );
    }
    const row: Row = {};
    for (const f of this.schema.fields) row[f.name] = partial?.[f.name] ?? null;
    if (this.corruptColumn !== undefined) row[this.corruptColumn] = raw;
    return row;
  }
}
