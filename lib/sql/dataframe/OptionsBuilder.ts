import { toSchema, type StructType } from '../../values/types';
import type { DataFrame } from './DataFrame';

/**
 * `format(...)`, `option(k, v)`, `options({...})`: what Spark's readers and writers share; readers add `schema()`.
 *
 * Invariant: option values are kept as strings, as Spark keeps them; each reader/writer converts them once.
 */
export abstract class OptionsBuilder {
  /** The format set with `format()`, if any. */
  protected formatName: string | undefined;
  protected readonly opts = new Map<string, string>();

  format(source: string): this {
    this.formatName = source;
    return this;
  }

  option(key: string, value: string | number | boolean): this {
    this.opts.set(key, String(value));
    return this;
  }

  options(values: Record<string, string | number | boolean>): this {
    for (const [k, v] of Object.entries(values)) this.option(k, v);
    return this;
  }
}

/** What Spark's batch and streaming readers share beyond the options: a user-specified schema, the shorthands. */
export abstract class ReaderOptionsBuilder extends OptionsBuilder {
  protected userSchema: StructType | undefined;

  /** A StructType or a DDL string (`'word STRING, ts TIMESTAMP'`). */
  schema(schema: StructType | string): this {
    this.userSchema = toSchema(schema);
    return this;
  }

  /** The DataFrame of the configured format (at `path`, for files). */
  abstract load(path?: string): DataFrame;

  /** `text(path)`: text files (one `value` row per line). */
  text(path: string): DataFrame {
    return this.format('text').load(path);
  }

  /** `csv(path)`: CSV files. */
  csv(path: string): DataFrame {
    return this.format('csv').load(path);
  }

  /** `json(path)`: JSON-lines files (`multiLine` for one document per file). */
  json(path: string): DataFrame {
    return this.format('json').load(path);
  }

  /** `parquet(path)`: Parquet files. */
  parquet(path: string): DataFrame {
    return this.format('parquet').load(path);
  }
}
