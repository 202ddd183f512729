import { toSchema, type StructType } from '../types';

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

/** What Spark's batch and streaming readers share beyond the options: a user-specified schema. */
export abstract class ReaderOptionsBuilder extends OptionsBuilder {
  protected userSchema: StructType | undefined;

  /** A StructType or a DDL string (`'word STRING, ts TIMESTAMP'`). */
  schema(schema: StructType | string): this {
    this.userSchema = toSchema(schema);
    return this;
  }
}
