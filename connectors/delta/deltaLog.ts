/**
 * The `_delta_log` folder on the local file system: its file names, listing, reading commits, and the atomic
 * put-if-absent of a new file. The storage interface is kept this narrow so an object store can follow.
 *
 * Invariant: a log file becomes visible only complete and durable (temp file, fsync, `link()` to its name, which
 * fails with EEXIST when the name exists, then a folder fsync), and an existing log file is never replaced:
 * `putIfAbsent` returns false instead. The only file ever rewritten is `_last_checkpoint`, a hint (temp + rename).
 */
import { promises as fs } from 'node:fs';
import { readFileIfExists } from '../../lib/util/readFileIfExists';
import * as path from 'node:path';
import { isTempFileName, mkdirsDurably, writeFileDurably } from '../../lib/checkpoint/durableWrite';
import { decodeCommit, type Action } from './actions';
import { logCorrupt } from './deltaErrors';

/** The log folder of a table. */
export function logDir(tablePath: string): string {
  return path.join(tablePath, '_delta_log');
}

/** `00000000000000000012` for 12 (Delta's zero-padded 20-digit version). */
export function versionName(version: number): string {
  return String(version).padStart(20, '0');
}

/** The commit file name of a version. */
export function commitFileName(version: number): string {
  return `${versionName(version)}.json`;
}

/** What a log file name denotes (undefined for any other name: temp files, `.crc`, `_last_checkpoint`). */
export type LogFileName =
  | { readonly type: 'commit'; readonly version: number; readonly name: string }
  | { readonly type: 'checkpoint'; readonly version: number; readonly name: string; readonly part?: number; readonly parts?: number };

const COMMIT = /^(\d{20})\.json$/;
const CHECKPOINT = /^(\d{20})\.checkpoint\.parquet$/;
const MULTI_CHECKPOINT = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;

/** Parses a `_delta_log` file name. */
export function parseLogFileName(name: string): LogFileName | undefined {
  let m = COMMIT.exec(name);
  if (m) return { type: 'commit', version: Number(m[1]), name };
  m = CHECKPOINT.exec(name);
  if (m) return { type: 'checkpoint', version: Number(m[1]), name };
  m = MULTI_CHECKPOINT.exec(name);
  if (m) return { type: 'checkpoint', version: Number(m[1]), name, part: Number(m[2]), parts: Number(m[3]) };
  return undefined;
}

/** The log files of a table, parsed (empty when there is no `_delta_log`). */
export async function listLog(tablePath: string): Promise<LogFileName[]> {
  let names: string[];
  try {
    names = await fs.readdir(logDir(tablePath));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: LogFileName[] = [];
  for (const n of names) {
    if (isTempFileName(n)) continue;
    const f = parseLogFileName(n);
    if (f) out.push(f);
  }
  return out;
}

/** The actions of commit `version`, or undefined when the file does not exist. */
export async function readCommit(tablePath: string, version: number): Promise<Action[] | undefined> {
  const file = path.join(logDir(tablePath), commitFileName(version));
  const text = await readFileIfExists(file, 'utf8');
  if (text === undefined) return undefined;
  if (text.trim() === '') throw logCorrupt(file, 'the commit file is empty (a torn write?)');
  return decodeCommit(text, file);
}

/** Writes `data` as `_delta_log/<name>` if no such file exists; false when it does (a lost race). */
export async function putIfAbsent(tablePath: string, name: string, data: string | Uint8Array): Promise<boolean> {
  await mkdirsDurably(logDir(tablePath));
  return writeFileDurably(path.join(logDir(tablePath), name), data, { overwrite: false });
}

/** Writes `_delta_log/<name>` atomically, replacing it (only for `_last_checkpoint`). */
export async function replaceFile(tablePath: string, name: string, data: string | Uint8Array): Promise<void> {
  await mkdirsDurably(logDir(tablePath));
  await writeFileDurably(path.join(logDir(tablePath), name), data, { overwrite: true });
}

/** The bytes of `_delta_log/<name>`, or undefined when absent. */
export async function readLogFile(tablePath: string, name: string): Promise<Buffer | undefined> {
  return readFileIfExists(path.join(logDir(tablePath), name));
}
