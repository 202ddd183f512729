/**
 * The input files of a path: a folder (walked recursively, partition folders included), a glob (`*`, `?`,
 * `[...]`, `{a,b}` per path segment), or a file sink's output folder, whose `_spark_metadata` log then lists the
 * committed files (Spark's `FileStreamSink.hasMetadata` rule), so files of an unfinished batch are never read.
 *
 * Invariant: hidden names (starting with `.`, or with `_` unless they hold `=`) are never listed, so temp files of
 * writers and Spark's `_SUCCESS` / `_spark_metadata` are not data; every file comes with the path relative to
 * its base folder, from which partition values are discovered.
 */
import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import { ErrorCodes, WeirError, sparkError } from '../errors';
import { FileStreamSinkLog, fileUri, localPathOf } from './FileStreamSinkLog';

/** One input file. */
export interface InputFile {
  /** Absolute path. */
  readonly path: string;
  /** Path relative to the base folder (`/` separated), for partition discovery. */
  readonly relative: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** The size a file sink's `_spark_metadata` records for it (a committed file must still have it). */
  readonly committedSize?: number;
}

/** Spark's `isHidden` rule for data listings. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.') || (name.startsWith('_') && !name.includes('='));
}

/** True when `p` has glob characters. */
export function isGlob(p: string): boolean {
  return /[*?[{]/.test(p);
}

/** A regular expression for one glob segment (Hadoop's GlobPattern subset). */
export function globSegmentToRegExp(segment: string): RegExp {
  let out = '^';
  let inGroup = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '\\' && i + 1 < segment.length) {
      out += `\\${segment[++i]}`;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        let cls = segment.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (cls.startsWith('^') || cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        out += `[${cls}]`;
        i = end;
      }
    } else if (c === '{') {
      out += '(?:';
      inGroup = true;
    } else if (c === '}' && inGroup) {
      out += ')';
      inGroup = false;
    } else if (c === ',' && inGroup) out += '|';
    else out += c.replace(/[.+^$()|]/g, '\\$&');
  }
  return new RegExp(`${out}$`);
}

function statOrUndefined(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function walk(dir: string, base: string, out: InputFile[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // removed while listing
    throw e;
  }
  for (const entry of entries) {
    if (isHiddenName(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(full, base, out);
    } else if (entry.isFile()) {
      const st = statOrUndefined(full);
      if (st) out.push({ path: full, relative: path.relative(base, full).split(path.sep).join('/'), size: st.size, mtimeMs: st.mtimeMs });
    }
  }
}

/**
 * The committed files of a file sink's output folder, from its `_spark_metadata` log, each checked against the
 * size the log records (Spark's `SinkFileStatus.size`), so a truncated, replaced or deleted part file is named
 * when the folder is listed instead of read as fewer rows.
 *
 * @throws WeirError DATA_FILE_MISSING (unless `ignoreMissingFiles`: then skipped with a warning),
 * DATA_FILE_DAMAGED for a size that differs.
 */
function sinkLogFiles(dir: string, ignoreMissingFiles: boolean): InputFile[] {
  const out: InputFile[] = [];
  const log = new FileStreamSinkLog(dir);
  for (const status of log.allFiles()) {
    if (status.isDir) continue;
    const file = localPathOf(status.path);
    const st = statOrUndefined(file);
    if (st === undefined) {
      const error = missingDataFileError(file, `it is committed in ${log.dir}`);
      if (!ignoreMissingFiles) throw error;
      warnSkippedFile(file);
      continue;
    }
    if (st.size !== status.size) {
      throw new WeirError(
        ErrorCodes.DATA_FILE_DAMAGED,
        `Data file ${file} has ${st.size} bytes, but ${log.dir} records ${status.size} bytes for it: the file was truncated or ` +
          'replaced after its batch was committed, and reading it would give other rows. Restore it from a backup, or write ' +
          'the output again with a new checkpoint into a new folder.',
        { context: { path: file, size: st.size, committedSize: status.size, log: log.dir, reason: 'size-mismatch' } },
      );
    }
    out.push({
      path: file,
      relative: path.relative(dir, file).split(path.sep).join('/'),
      size: status.size,
      mtimeMs: status.modificationTime,
      committedSize: status.size,
    });
  }
  return out;
}

/**
 * Spark's FAILED_READ_FILE.FILE_NOT_EXIST for a data file that should be there (`why`), with weir's way out.
 */
export function missingDataFileError(file: string, why: string, batchId?: number): WeirError {
  return new WeirError(
    ErrorCodes.DATA_FILE_MISSING,
    `[FAILED_READ_FILE.FILE_NOT_EXIST] Encountered error while reading file ${fileUri(file)}. File does not exist ` +
      `(${why}). It is possible the underlying files have been updated. Restore the file, or set the read option ` +
      "ignoreMissingFiles (or the conf spark.sql.files.ignoreMissingFiles) to 'true' to skip it.",
    { context: { path: file, ...(batchId !== undefined ? { batchId } : {}) } },
  );
}

/** Spark's warning when `ignoreMissingFiles` skips a file. */
export function warnSkippedFile(file: string): void {
  console.warn(`weir: Skipped missing file: ${fileUri(file)} (ignoreMissingFiles)`);
}

/** Options of {@link listInputFiles}. */
export interface ListInputFilesOptions {
  /** Missing path: an empty listing (streaming: files may come later) instead of PATH_NOT_FOUND. */
  readonly allowMissing?: boolean;
  /** Use a sink folder's `_spark_metadata` log when there is one (default true). */
  readonly useSinkLog?: boolean;
  /** A file the sink log lists but that is gone is skipped with a warning (Spark's `ignoreMissingFiles`; default false). */
  readonly ignoreMissingFiles?: boolean;
}

/**
 * The files of `p` (a file, a folder or a glob), sorted by path. Synchronous: a DataFrame's schema (partition
 * columns included) is known when `load()` returns, as in Spark.
 *
 * @throws WeirError PATH_NOT_FOUND (Spark's message) when nothing is at `p` and `allowMissing` is not set; for a
 * sink's output folder, what its log reading throws and DATA_FILE_MISSING / DATA_FILE_DAMAGED for a committed file
 * that is gone or not of its committed size.
 */
export function listInputFiles(p: string, options: ListInputFilesOptions = {}): { base: string; files: InputFile[] } {
  const { allowMissing = false, useSinkLog = true, ignoreMissingFiles = false } = options;
  const abs = path.resolve(p);
  const out: InputFile[] = [];
  if (!isGlob(p)) {
    const st = statOrUndefined(abs);
    if (st === undefined) {
      if (allowMissing) return { base: abs, files: [] };
      throw sparkError(ErrorCodes.PATH_NOT_FOUND, 'PATH_NOT_FOUND', { path: `file:${abs}` }, { context: { path: abs } });
    }
    if (st.isFile()) return { base: path.dirname(abs), files: [{ path: abs, relative: path.basename(abs), size: st.size, mtimeMs: st.mtimeMs }] };
    if (useSinkLog && FileStreamSinkLog.exists(abs)) return { base: abs, files: sinkLogFiles(abs, ignoreMissingFiles) };
    walk(abs, abs, out);
    return { base: abs, files: out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
  }
  // A glob: the longest prefix without glob characters is where the walk starts.
  const segments = abs.split(path.sep);
  const firstGlob = segments.findIndex(isGlob);
  const root = segments.slice(0, firstGlob).join(path.sep) || path.sep;
  const patterns = segments.slice(firstGlob).map(globSegmentToRegExp);
  walk(root, root, out);
  const matched = out.filter((f) => {
    const parts = f.relative.split('/');
    if (parts.length < patterns.length) return false;
    return patterns.every((re, i) => re.test(parts[i] as string));
  });
  if (matched.length === 0 && !allowMissing && !statOrUndefined(root)) {
    throw sparkError(ErrorCodes.PATH_NOT_FOUND, 'PATH_NOT_FOUND', { path: `file:${abs}` }, { context: { path: abs } });
  }
  // Partition folders are discovered below the part the glob matched.
  const files = matched.map((f) => ({ ...f, relative: f.relative.split('/').slice(patterns.length - 1).join('/') }));
  return { base: root, files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}
