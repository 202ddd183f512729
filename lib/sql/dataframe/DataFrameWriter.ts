/**
 * PySpark's DataFrameWriter (`df.write`): a batch DataFrame saved through the format's provider (looked up in the
 * one registry of data sources, connectors/registry.ts); for files, the same formats and data file writer
 * (partition folders, temp name → fsync → rename) as the streaming file sink, then Spark's `_SUCCESS` marker.
 *
 * Invariants: save modes are Spark's (`errorifexists` default, `append`, `overwrite`, `ignore`); a streaming
 * DataFrame is refused with Spark's message; no file is written under a data name before it is complete.
 */
import { CaseInsensitiveStringMap } from '../../connector/CaseInsensitiveStringMap';
import type { SaveMode } from '../../connector/DataSourceProvider';
import { ErrorCodes, WeirError } from '../../errors';
import { dataSources } from '../../../connectors/registry';
import type { DataFrame } from './DataFrame';
import { OptionsBuilder } from './OptionsBuilder';

/** Spark's save modes. */
export type { SaveMode };

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

  /** Writes the DataFrame through the format's provider (files: under `path`). */
  async save(p?: string): Promise<void> {
    if (p !== undefined) this.opts.set('path', p);
    const format = this.formatName ?? this.df.session.confValue('sql.sources.default') ?? 'parquet';
    const provider = dataSources.lookup(format, 'saveBatch');
    await provider.saveBatch!(new CaseInsensitiveStringMap(this.opts), {
      format,
      schema: this.df.schema,
      mode: this.saveMode,
      partitionBy: this.partitionColumns,
      conf: (key) => this.df.session.confValue(key),
      collect: () => this.df.collect(),
    });
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
