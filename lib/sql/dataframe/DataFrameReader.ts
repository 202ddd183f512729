/**
 * PySpark's DataFrameReader (`session.read`): batch DataFrames over files, through the same formats, listing and
 * partition discovery as the streaming file source.
 *
 * Invariants: a folder written by a file sink is read through its `_spark_metadata` log (committed files only);
 * the files are read when `load()` is called (weir's batch DataFrames hold their rows), so `load()` and the
 * shorthands return a Promise; options are Spark's strings, case-insensitive.
 */
import type { Row } from '../../contracts';
import { readFile, resolveFileScan } from '../../formats/FileScan';
import { fileFormatOf } from '../../formats/fileFormats';
import { FormatOptions } from '../../formats/FormatOptions';
import { listInputFiles } from '../../formats/listInputFiles';
import { ErrorCodes, WeirError } from '../../errors';
import { DataFrame } from './DataFrame';
import { ReaderOptionsBuilder } from './OptionsBuilder';
import type { SessionLike } from './SessionLike';

/**
 * Reads batch DataFrames from files.
 *
 * @example
 * ```ts
 * const df = await session.read.schema('id BIGINT, name STRING').json('/data/in');
 * const out = await session.read.parquet('/data/out');   // a file sink's folder: committed files only
 * ```
 */
export class DataFrameReader extends ReaderOptionsBuilder {
  constructor(private readonly session: SessionLike) {
    super();
  }

  /** The batch DataFrame of the files at `path` (a file, a folder or a glob). */
  async load(path?: string): Promise<DataFrame> {
    if (path !== undefined) this.opts.set('path', path);
    const format = fileFormatOf(this.formatName ?? this.session.confValue('sql.sources.default') ?? 'parquet');
    const p = this.opts.get('path');
    if (p === undefined) {
      throw new WeirError(ErrorCodes.MISSING_OPTION, "'path' is not specified", { context: { format: format.name, option: 'path' } });
    }
    const options = new FormatOptions([...this.opts].filter(([k]) => k !== 'path'));
    const { files } = listInputFiles(p);
    const scan = resolveFileScan({
      format: format.name,
      options,
      ...(this.userSchema !== undefined ? { userSchema: this.userSchema } : {}),
      files,
    });
    const rows: Row[] = [];
    for (const f of files) for (const r of await readFile(scan, f)) rows.push(r);
    return new DataFrame(this.session, { kind: 'localRelation', rows: () => rows, schema: scan.schema, name: `${format.name} ${p}` });
  }

  text(path: string): Promise<DataFrame> {
    return this.format('text').load(path);
  }

  csv(path: string): Promise<DataFrame> {
    return this.format('csv').load(path);
  }

  json(path: string): Promise<DataFrame> {
    return this.format('json').load(path);
  }

  parquet(path: string): Promise<DataFrame> {
    return this.format('parquet').load(path);
  }
}
