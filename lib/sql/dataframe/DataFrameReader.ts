/**
 * PySpark's DataFrameReader (`session.read`): batch DataFrames over files, through the same formats, listing and
 * partition discovery as the streaming file source.
 *
 * Invariants: as Spark's `DataSource.resolveRelation`, `load()` lists the files and resolves the schema (partition
 * columns, inference) synchronously, so a missing path is PATH_NOT_FOUND at `load()` and `df.schema` is known;
 * the files' rows are read when an action runs, each time it runs (Spark reads a relation's files per action);
 * a folder written by a file sink is read through its `_spark_metadata` log (committed files only); options are
 * Spark's strings, case-insensitive; the format is looked up in the one registry of data sources
 * (connectors/registry.ts: the file formats, `kafka`, and the user's own).
 */
import { CaseInsensitiveStringMap } from '../../connector/CaseInsensitiveStringMap';
import { dataSources } from '../../../connectors/registry';
import { DataFrame } from './DataFrame';
import { ReaderOptionsBuilder } from './OptionsBuilder';
import type { SessionLike } from './SessionLike';

/**
 * Reads batch DataFrames from files.
 *
 * @example
 * ```ts
 * const df = session.read.schema('id BIGINT, name STRING').json('/data/in');
 * const out = session.read.parquet('/data/out');   // a file sink's folder: committed files only
 * await out.count();                                // the files are read here
 * ```
 */
export class DataFrameReader extends ReaderOptionsBuilder {
  constructor(private readonly session: SessionLike) {
    super();
  }

  /**
   * The batch DataFrame of the files at `path` (a file, a folder or a glob), listed now and read by each action.
   *
   * @throws WeirError PATH_NOT_FOUND (nothing at `path`), MISSING_OPTION (no path), DATA_SOURCE_NOT_FOUND,
   * INVALID_ARGUMENT (`[UNABLE_TO_INFER_SCHEMA]`, a bad option).
   */
  load(path?: string): DataFrame {
    if (path !== undefined) this.opts.set('path', path);
    const format = this.formatName ?? this.session.confValue('sql.sources.default') ?? 'parquet';
    const provider = dataSources.lookup(format, 'createRelation');
    const relation = provider.createRelation!(new CaseInsensitiveStringMap(this.opts), this.userSchema, {
      conf: (key) => this.session.confValue(key),
    });
    return new DataFrame(this.session, { kind: 'localRelation', rows: () => relation.rows(), schema: relation.schema, name: relation.name });
  }
}
