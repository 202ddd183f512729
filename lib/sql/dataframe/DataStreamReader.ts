/**
 * PySpark's DataStreamReader: `session.readStream.format(...).option(...).schema(...).load()`.
 *
 * Invariants: options are strings as in Spark and are converted once, at `load()`; an unknown format or a
 * missing required option fails at `load()` with a named error; every source gets the schema Spark gives it.
 * `load()` makes one source to check the options and learn its description (and, for files, the schema); the
 * DataFrame keeps how to make it, and every query started from it makes its own (Spark's `createSource` per
 * query), with the schema resolved at `load()`.
 */
import type { Row, Source } from '../../contracts';
import { ErrorCodes, WeirError, sparkError } from '../../errors';
import { rate } from '../../../sources/rate';
import { rateMicroBatch } from '../../../sources/rateMicroBatch';
import { socket } from '../../../sources/socket';
import { kafkaSourceFromOptions } from '../../../sources/kafka';
import { files, type FileSourceOptions } from '../../../sources/file/fileSource';
import { isFileFormat } from '../../formats/fileFormats';
import { toSchema, type StructType } from '../types';
import { DataFrame } from './DataFrame';
import type { SessionLike } from './SessionLike';
import { optionValue, ReaderOptionsBuilder } from './OptionsBuilder';

/** The source formats this version of weir has. */
export const STREAM_SOURCE_FORMATS = ['rate', 'rate-micro-batch', 'socket', 'text', 'csv', 'json', 'parquet', 'kafka'] as const;
const PLANNED_SOURCE_FORMATS = ['orc'];

/** Options of the file source that are not format options. */
const FILE_SOURCE_OPTIONS = ['path', 'maxfilespertrigger', 'maxbytespertrigger', 'latestfirst', 'filenameonly', 'maxfileage', 'cleansource', 'sourcearchivedir'];

/** Spark's schema of the rate sources. */
export const RATE_SCHEMA = 'timestamp TIMESTAMP, value BIGINT';

function numberOption(opts: Map<string, string>, key: string, format: string): number | undefined {
  const v = opts.get(key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Invalid value '${v}' for option '${key}' of the ${format} source: a number is expected`, {
      context: { format, option: key, value: v },
    });
  }
  return n;
}

/** Reads streaming DataFrames. */
export class DataStreamReader extends ReaderOptionsBuilder {
  constructor(private readonly session: SessionLike) {
    super();
  }

  /** The streaming DataFrame of the configured source. */
  load(path?: string): DataFrame {
    if (path !== undefined) this.opts.set('path', path);
    const format = (this.formatName ?? this.session.confValue('sql.sources.default') ?? 'parquet').toLowerCase();
    let make: () => Source<Row>;
    let schema = RATE_SCHEMA;
    if (isFileFormat(format)) return this.loadFiles(format);
    switch (format) {
      case 'socket': {
        const host = this.opts.get('host');
        const port = numberOption(this.opts, 'port', format);
        if (host === undefined || port === undefined) {
          throw new WeirError(ErrorCodes.MISSING_OPTION, `Set a ${host === undefined ? 'host' : 'port'} to read from with option("${host === undefined ? 'host' : 'port'}", ...).`, {
            context: { format, option: host === undefined ? 'host' : 'port' },
          });
        }
        const includeTimestamp = (this.opts.get('includeTimestamp') ?? 'false').toLowerCase() === 'true';
        make = () => socket({ host, port, includeTimestamp }) as unknown as Source<Row>;
        schema = includeTimestamp ? 'value STRING, timestamp TIMESTAMP' : 'value STRING';
        break;
      }
      case 'rate': {
        const rowsPerSecond = numberOption(this.opts, 'rowsPerSecond', format);
        const numPartitions = numberOption(this.opts, 'numPartitions', format);
        const rampUpTime = this.opts.get('rampUpTime');
        const options = {
          ...(rowsPerSecond !== undefined ? { rowsPerSecond } : {}),
          ...(numPartitions !== undefined ? { numPartitions } : {}),
          ...(rampUpTime !== undefined ? { rampUpTime } : {}),
        };
        make = () => rate(options) as unknown as Source<Row>;
        break;
      }
      case 'rate-micro-batch': {
        const rowsPerBatch = numberOption(this.opts, 'rowsPerBatch', format);
        if (rowsPerBatch === undefined) {
          throw new WeirError(ErrorCodes.MISSING_OPTION, "Option 'rowsPerBatch' is required for the rate-micro-batch source", {
            context: { format, option: 'rowsPerBatch' },
          });
        }
        const numPartitions = numberOption(this.opts, 'numPartitions', format);
        const startTimestamp = numberOption(this.opts, 'startTimestamp', format);
        const advanceMillisPerBatch = numberOption(this.opts, 'advanceMillisPerBatch', format);
        const options = {
          rowsPerBatch,
          ...(numPartitions !== undefined ? { numPartitions } : {}),
          ...(startTimestamp !== undefined ? { startTimestamp } : {}),
          ...(advanceMillisPerBatch !== undefined ? { advanceMillisPerBatch } : {}),
        };
        make = () => rateMicroBatch(options) as unknown as Source<Row>;
        break;
      }
      case 'kafka': {
        // Spark's option names (subscribe, startingOffsets, maxOffsetsPerTrigger, kafka.bootstrap.servers, ...).
        const options = new Map(this.opts);
        schema = kafkaSourceFromOptions(options).schema;
        make = () => kafkaSourceFromOptions(options).source;
        break;
      }
      default: {
        const planned = PLANNED_SOURCE_FORMATS.includes(format);
        // Spark's message; what weir has (and whether the format is planned) is context
        throw sparkError(ErrorCodes.DATA_SOURCE_NOT_FOUND, 'DATA_SOURCE_NOT_FOUND', { provider: format }, {
          context: { format, planned, available: STREAM_SOURCE_FORMATS.join(', ') },
        });
      }
    }
    if (this.userSchema !== undefined) {
      throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, `The ${format} source does not support a user-specified schema.`, {
        context: { format },
      });
    }
    return this.relation(format, make, toSchema(schema));
  }

  /**
   * The streaming relation of a source made by `make`: one is made now (its constructor checks the options; its
   * description names the relation), then one per query.
   */
  private relation(format: string, make: () => Source<Row>, schema: StructType, description = make().description): DataFrame {
    return new DataFrame(this.session, {
      kind: 'streamingSource',
      provider: { description, createSource: make },
      options: new Map(this.opts),
      schema,
      name: format,
      normalize: false,
    });
  }

  private loadFiles(format: string): DataFrame {
    const opt = (key: string): string | undefined => optionValue(this.opts, key);
    const path = opt('path');
    if (path === undefined) {
      throw new WeirError(ErrorCodes.MISSING_OPTION, "'path' is not specified", { context: { format, option: 'path' } });
    }
    const bool = (key: string): boolean | undefined => {
      const v = opt(key);
      return v === undefined ? undefined : v.toLowerCase() === 'true';
    };
    const formatOptions: Record<string, string> = {};
    for (const [k, v] of this.opts) if (!FILE_SOURCE_OPTIONS.includes(k.toLowerCase())) formatOptions[k] = v;
    const num = (key: string): number | undefined => {
      const v = opt(key);
      return v === undefined ? undefined : numberOption(new Map([[key, v]]), key, format);
    };
    const maxFiles = num('maxFilesPerTrigger');
    const maxBytes = num('maxBytesPerTrigger');
    const latestFirst = bool('latestFirst');
    const fileNameOnly = bool('fileNameOnly');
    const maxFileAge = opt('maxFileAge');
    const cleanSource = opt('cleanSource')?.toLowerCase();
    const sourceArchiveDir = opt('sourceArchiveDir');
    // Spark's session confs of the seen-files log.
    const logConf = (key: string) => this.session.confValue(`sql.streaming.fileSource.log.${key}`);
    const compactInterval = logConf('compactInterval');
    const logDeletion = logConf('deletion');
    const logCleanupDelay = logConf('cleanupDelay');
    const options: FileSourceOptions = {
      path,
      format,
      ...(this.userSchema !== undefined ? { schema: this.userSchema } : {}),
      schemaInference: (this.session.confValue('sql.streaming.schemaInference') ?? 'false').toLowerCase() === 'true',
      formatOptions,
      ...(maxFiles !== undefined ? { maxFilesPerTrigger: maxFiles } : {}),
      ...(maxBytes !== undefined ? { maxBytesPerTrigger: maxBytes } : {}),
      ...(latestFirst !== undefined ? { latestFirst } : {}),
      ...(fileNameOnly !== undefined ? { fileNameOnly } : {}),
      ...(maxFileAge !== undefined ? { maxFileAge } : {}),
      ...(cleanSource !== undefined ? { cleanSource: cleanSource as 'off' | 'delete' | 'archive' } : {}),
      ...(sourceArchiveDir !== undefined ? { sourceArchiveDir } : {}),
      ...(compactInterval !== undefined ? { compactInterval: Number(compactInterval) } : {}),
      ...(logDeletion !== undefined ? { logDeletion: logDeletion.toLowerCase() === 'true' } : {}),
      ...(logCleanupDelay !== undefined ? { logCleanupDelay } : {}),
    };
    // The schema is resolved once, here (listing the files, inferring it if asked to), as Spark's DataSource does
    // at load: the source of each query is made with it, so every query reads the same columns.
    const first = files(options);
    const perQuery: FileSourceOptions =
      this.userSchema !== undefined ? options : { ...options, schema: first.schema, schemaInference: false };
    return this.relation(format, () => files(perQuery), first.schema, first.description);
  }

  /** A streaming DataFrame over a table (a temp view over a streaming DataFrame). */
  table(name: string): DataFrame {
    return (this.session as unknown as { table(name: string): DataFrame }).table(name);
  }
}
