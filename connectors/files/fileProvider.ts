/**
 * `format("parquet" | "json" | "csv" | "text")`: Spark's FileFormat data sources: the streaming file source and
 * sink, the batch read (`session.read`) and the batch write (`df.write`), one provider per format name.
 *
 * Invariants: options not of the source/sink itself are the format's options (passed on as given, read
 * case-insensitively by the format); the streaming source's schema is resolved once, at `load()` (listing the
 * files, inferring it when `spark.sql.streaming.schemaInference` is on), and every query's source is made with
 * it, so all queries read the same columns; a batch read lists the files at `load()` and reads them per action;
 * a batch write honours Spark's save modes and ends with Spark's `_SUCCESS` marker; the streaming sink supports
 * append only (Spark's message).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Row, Sink, Source } from '../../lib/contracts';
import type { DataSourceProvider, ReadContext } from '../../lib/connector/DataSourceProvider';
import type { CaseInsensitiveStringMap } from '../../lib/connector/CaseInsensitiveStringMap';
import { mkdirsDurably, writeFileDurably } from '../../lib/checkpoint/durableWrite';
import { ErrorCodes, WeirError, sparkError } from '../../lib/errors';
import { IGNORE_MISSING_FILES, ignoreMissingFilesOf, readFiles, resolveFileScan } from '../../lib/formats/FileScan';
import { fileFormatOf } from '../../lib/formats/fileFormats';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { fileUri } from '../../lib/formats/FileStreamSinkLog';
import { listInputFiles } from '../../lib/formats/listInputFiles';
import { writeDataFiles } from '../../lib/formats/writeDataFiles';
import type { StructType } from '../../lib/values/types';
import { fileSink } from './fileSink';
import { files, type FileSourceOptions } from './fileSource';

/** Options of the file source that are not format options. */
const FILE_SOURCE_OPTIONS = ['path', 'maxFilesPerTrigger', 'maxBytesPerTrigger', 'latestFirst', 'fileNameOnly', 'maxFileAge', 'cleanSource', 'sourceArchiveDir'];
/** Writer options that are not format options of the file sink. */
const FILE_SINK_OPTIONS = ['path', 'checkpointLocation', 'retention', 'allowExistingOutput'];

function requirePath(format: string, o: CaseInsensitiveStringMap): string {
  const p = o.get('path');
  if (p === undefined) throw new WeirError(ErrorCodes.MISSING_OPTION, "'path' is not specified", { context: { format, option: 'path' } });
  return p;
}

function sourceOptions(format: string, o: CaseInsensitiveStringMap, userSchema: StructType | undefined, ctx: ReadContext): FileSourceOptions {
  const path = requirePath(format, o);
  const maxFileAge = o.get('maxFileAge');
  const cleanSource = o.get('cleanSource')?.toLowerCase();
  const sourceArchiveDir = o.get('sourceArchiveDir');
  // Spark's session confs of the seen-files log.
  const logConf = (key: string) => ctx.conf(`sql.streaming.fileSource.log.${key}`);
  const compactInterval = logConf('compactInterval');
  const logDeletion = logConf('deletion');
  const logCleanupDelay = logConf('cleanupDelay');
  return {
    path,
    format,
    ...(userSchema !== undefined ? { schema: userSchema } : {}),
    schemaInference: (ctx.conf('sql.streaming.schemaInference') ?? 'false').toLowerCase() === 'true',
    formatOptions: withIgnoreMissingFilesConf(Object.fromEntries(o.without(...FILE_SOURCE_OPTIONS)), ctx),
    ...(o.has('maxFilesPerTrigger') ? { maxFilesPerTrigger: o.getInt('maxFilesPerTrigger', 0) } : {}),
    ...(o.has('maxBytesPerTrigger') ? { maxBytesPerTrigger: o.getLong('maxBytesPerTrigger', 0) } : {}),
    ...(o.has('latestFirst') ? { latestFirst: o.getBoolean('latestFirst', false) } : {}),
    ...(o.has('fileNameOnly') ? { fileNameOnly: o.getBoolean('fileNameOnly', false) } : {}),
    ...(maxFileAge !== undefined ? { maxFileAge } : {}),
    ...(cleanSource !== undefined ? { cleanSource: cleanSource as 'off' | 'delete' | 'archive' } : {}),
    ...(sourceArchiveDir !== undefined ? { sourceArchiveDir } : {}),
    ...(compactInterval !== undefined ? { compactInterval: Number(compactInterval) } : {}),
    ...(logDeletion !== undefined ? { logDeletion: logDeletion.toLowerCase() === 'true' } : {}),
    ...(logCleanupDelay !== undefined ? { logCleanupDelay } : {}),
  };
}

/**
 * The format options with Spark's session conf `spark.sql.files.ignoreMissingFiles` as the read option
 * `ignoreMissingFiles` when the read does not set it (the option wins, as in Spark).
 */
function withIgnoreMissingFilesConf(options: Record<string, string>, ctx: ReadContext | undefined): Record<string, string> {
  if (Object.keys(options).some((k) => k.toLowerCase() === IGNORE_MISSING_FILES.toLowerCase())) return options;
  const conf = ctx?.conf('sql.files.ignoreMissingFiles');
  return conf === undefined ? options : { ...options, [IGNORE_MISSING_FILES]: conf };
}

/** The provider of file format `format` (one of lib/formats/fileFormats.ts). */
export function fileProvider(format: 'parquet' | 'json' | 'csv' | 'text'): DataSourceProvider {
  fileFormatOf(format);
  return {
    shortName: format,
    supportsUserSchema: true,
    options: [...FILE_SOURCE_OPTIONS, 'retention', 'allowExistingOutput'],
    // Lists the files now: partition columns are discovered (and added to a user schema), inference runs if asked.
    sourceSchema: (o, userSchema, ctx) => files(sourceOptions(format, o, userSchema, ctx)).schema,
    // The schema resolved at load() is the schema of every query's source: no per-query listing or inference.
    createSource: (o, schema, ctx) => files({ ...sourceOptions(format, o, schema, ctx), schemaInference: false }) as unknown as Source<Row>,
    createSink: (o, ctx): Sink<Row> => {
      const retention = o.get('retention');
      const compactInterval = ctx.conf('sql.streaming.fileSink.log.compactInterval');
      const deletion = ctx.conf('sql.streaming.fileSink.log.deletion');
      const cleanupDelay = ctx.conf('sql.streaming.fileSink.log.cleanupDelay');
      if (ctx.outputMode !== 'append') {
        throw new WeirError(
          ErrorCodes.UNSUPPORTED_OUTPUT_MODE,
          `Data source ${format} does not support ${ctx.outputMode.charAt(0).toUpperCase()}${ctx.outputMode.slice(1)} output mode`,
          { context: { format, outputMode: ctx.outputMode } },
        );
      }
      return fileSink({
        path: requirePath(format, o),
        format,
        schema: ctx.schema,
        partitionBy: ctx.partitionBy,
        formatOptions: Object.fromEntries(o.without(...FILE_SINK_OPTIONS)),
        ...(retention !== undefined ? { retention } : {}),
        ...(o.has('allowExistingOutput') ? { allowExistingOutput: o.getBoolean('allowExistingOutput', false) } : {}),
        ...(compactInterval !== undefined ? { compactInterval: Number(compactInterval) } : {}),
        ...(deletion !== undefined ? { logDeletion: deletion.toLowerCase() === 'true' } : {}),
        ...(cleanupDelay !== undefined ? { logCleanupDelay: cleanupDelay } : {}),
      });
    },
    createRelation: (o, userSchema, ctx) => {
      const p = requirePath(format, o);
      const options = new FormatOptions(withIgnoreMissingFilesConf(Object.fromEntries(o.without('path')), ctx));
      const { files: inputs } = listInputFiles(p, { ignoreMissingFiles: ignoreMissingFilesOf(options) });
      const scan = resolveFileScan({
        format,
        options,
        ...(userSchema !== undefined ? { userSchema } : {}),
        files: inputs,
      });
      return { schema: scan.schema, name: `${format} ${p}`, rows: () => readFiles(scan, inputs) };
    },
    saveBatch: async (o, ctx) => {
      const out = path.resolve(requirePath(format, o));
      const exists = await fs.stat(out).then(() => true, () => false);
      if (exists) {
        if (ctx.mode === 'ignore') return;
        if (ctx.mode === 'errorifexists' || ctx.mode === 'error') {
          throw sparkError(ErrorCodes.PATH_ALREADY_EXISTS, 'PATH_ALREADY_EXISTS', { outputPath: fileUri(out) }, { context: { path: out } });
        }
        if (ctx.mode === 'overwrite') await fs.rm(out, { recursive: true, force: true });
      }
      const rows = await ctx.collect();
      await writeDataFiles(rows, ctx.schema, {
        outputPath: out,
        format: fileFormatOf(format),
        options: new FormatOptions(o.without('path')),
        partitionBy: ctx.partitionBy,
      });
      await mkdirsDurably(out);
      await writeFileDurably(path.join(out, '_SUCCESS'), '');
    },
  };
}
