/**
 * PySpark's DataFrameWriter (`df.write`): a batch DataFrame saved as files, through the same formats and data
 * file writer (partition folders, temp name → fsync → rename) as the streaming file sink, then Spark's
 * `_SUCCESS` marker.
 *
 * Invariants: save modes are Spark's (`errorifexists` default, `append`, `overwrite`, `ignore`); a streaming
 * DataFrame is refused with Spark's message; no file is written under a data name before it is complete.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { mkdirsDurably, writeFileDurably } from '../../checkpoint/durableWrite';
import { ErrorCodes, WeirError, sparkError } from '../../errors';
import { fileFormatOf } from '../../formats/fileFormats';
import { FormatOptions } from '../../formats/FormatOptions';
import { fileUri } from '../../formats/FileStreamSinkLog';
import { writeDataFiles } from '../../formats/writeDataFiles';
import type { DataFrame } from './DataFrame';
import { OptionsBuilder } from './OptionsBuilder';

/** Spark's save modes. */
export type SaveMode = 'errorifexists' | 'error' | 'append' | 'overwrite' | 'ignore';

/**
 * Writes a batch DataFrame to files; `df.write` returns one.
 *
 * @example
 * ```ts
 * await df.write.mode('overwrite').partitionBy('day').parquet('/data/out');
 * ```
 */
export class DataFrameWriter extends OptionsBuilder {
  private saveMode: SaveMode = 'errorifexists';
  private partitionColumns: string[] = [];

  constructor(private readonly df: DataFrame) {
    super();
    if (df.isStreaming) {
      throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, "'write' can not be called on streaming Dataset/DataFrame", { context: {} });
    }
  }

  /** Spark's save mode (case-insensitive). */
  mode(mode: SaveMode | string): this {
    const m = mode.toLowerCase();
    if (!['errorifexists', 'error', 'default', 'append', 'overwrite', 'ignore'].includes(m)) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `[INVALID_SAVE_MODE] The specified save mode "${mode}" is invalid. Valid save modes include "append", "overwrite", "ignore", "error", "errorifexists", and "default".`,
        { context: { mode } },
      );
    }
    this.saveMode = (m === 'default' ? 'errorifexists' : m) as SaveMode;
    return this;
  }

  partitionBy(...cols: string[]): this {
    this.partitionColumns = cols.flat();
    return this;
  }

  /** Writes the DataFrame under `path`. */
  async save(p?: string): Promise<void> {
    if (p !== undefined) this.opts.set('path', p);
    const target = this.opts.get('path');
    const format = fileFormatOf(this.formatName ?? this.df.session.confValue('sql.sources.default') ?? 'parquet');
    if (target === undefined) {
      throw new WeirError(ErrorCodes.MISSING_OPTION, "'path' is not specified", { context: { format: format.name, option: 'path' } });
    }
    const out = path.resolve(target);
    const exists = await fs.stat(out).then(() => true, () => false);
    if (exists) {
      if (this.saveMode === 'ignore') return;
      if (this.saveMode === 'errorifexists' || this.saveMode === 'error') {
        throw sparkError(ErrorCodes.PATH_ALREADY_EXISTS, 'PATH_ALREADY_EXISTS', { outputPath: fileUri(out) }, { context: { path: out } });
      }
      if (this.saveMode === 'overwrite') await fs.rm(out, { recursive: true, force: true });
    }
    const schema = this.df.schema;
    const rows = await this.df.collect();
    await writeDataFiles(rows, schema, {
      outputPath: out,
      format,
      options: new FormatOptions([...this.opts].filter(([k]) => k !== 'path')),
      partitionBy: this.partitionColumns,
    });
    await mkdirsDurably(out);
    await writeFileDurably(path.join(out, '_SUCCESS'), '');
  }

  text(p: string): Promise<void> {
    return this.format('text').save(p);
  }

  csv(p: string): Promise<void> {
    return this.format('csv').save(p);
  }

  json(p: string): Promise<void> {
    return this.format('json').save(p);
  }

  parquet(p: string): Promise<void> {
    return this.format('parquet').save(p);
  }
}
