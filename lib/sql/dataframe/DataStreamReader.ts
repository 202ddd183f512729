/**
 * PySpark's DataStreamReader: `session.readStream.format(...).option(...).schema(...).load()`.
 *
 * Invariants: options are strings as in Spark, handed to the connector as one case-insensitive map at `load()`;
 * the format is looked up (any case) in the one registry of data sources (connectors/registry.ts), so an unknown
 * format is `DATA_SOURCE_NOT_FOUND` and a format that cannot be read as a stream fails at `load()`; the schema is
 * the provider's (fixed, from the options, or resolved from the data once, here); `load()` makes one source to
 * check the options and learn its description; the DataFrame keeps how to make it, and every query started from
 * it makes its own (Spark's `createSource` per query), with the schema resolved at `load()`.
 */
import type { Row, Source } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';
import { CaseInsensitiveStringMap } from '../../connector/CaseInsensitiveStringMap';
import type { ReadContext } from '../../connector/DataSourceProvider';
import { dataSources } from '../../../connectors/registry';
import { SCHEMA_REQUIRED_MESSAGE } from '../../formats/FileScan';
import type { StructType } from '../../values/types';
import { DataFrame } from './DataFrame';
import type { SessionLike } from './SessionLike';
import { ReaderOptionsBuilder } from './OptionsBuilder';

/** Reads streaming DataFrames. */
export class DataStreamReader extends ReaderOptionsBuilder {
  constructor(private readonly session: SessionLike) {
    super();
  }

  /** The streaming DataFrame of the configured source. */
  load(path?: string): DataFrame {
    if (path !== undefined) this.opts.set('path', path);
    const format = this.formatName ?? this.session.confValue('sql.sources.default') ?? 'parquet';
    const provider = dataSources.lookup(format, 'createSource');
    const createSource = provider.createSource!.bind(provider);
    const name = format.toLowerCase();
    const options = new CaseInsensitiveStringMap(this.opts);
    const context: ReadContext = { conf: (key) => this.session.confValue(key) };
    const userSchema = provider.supportsUserSchema ? this.userSchema : undefined;
    const schema = provider.sourceSchema ? provider.sourceSchema(options, userSchema, context) : userSchema;
    if (schema === undefined) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, SCHEMA_REQUIRED_MESSAGE, {
        context: { format: name },
      });
    }
    const make = (): Source<Row> => createSource(options, schema, context);
    // One source now: its constructor checks the options, its description names the relation.
    const description = make().description;
    if (this.userSchema !== undefined && !provider.supportsUserSchema) {
      throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, `The ${name} source does not support a user-specified schema.`, {
        context: { format: name },
      });
    }
    return this.relation(name, make, schema, description);
  }

  /** The streaming relation of a source made by `make`, one per query. */
  private relation(format: string, make: () => Source<Row>, schema: StructType, description: string): DataFrame {
    return new DataFrame(this.session, {
      kind: 'streamingSource',
      provider: { description, createSource: make },
      options: new Map(this.opts),
      schema,
      name: format,
      normalize: false,
    });
  }

  /** A streaming DataFrame over a table (a temp view over a streaming DataFrame). */
  table(name: string): DataFrame {
    return (this.session as unknown as { table(name: string): DataFrame }).table(name);
  }
}
