/**
 * What reading one checkpoint file found, as a value: the typed entry, or the named way it is damaged.
 *
 * Invariant: every checkpoint read goes bytes → `decodeLogFile` → codec → `FileStatus`, and an exception from
 * a codec becomes `corrupt`, so damage is always a value the recovery planner can reason about, never a crash
 * or a silently wrong entry.
 */
import { checksummedLogFormat, type LogFileFormat } from './logFile';
import { ErrorCodes, WeirError, type WeirErrorContext } from '../errors';

/** One checkpoint file as read: ok with its value, or torn / corrupt / of an unsupported version. */
export type FileStatus<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'torn'; readonly reason: string }
  | { readonly kind: 'corrupt'; readonly reason: string }
  | { readonly kind: 'unsupportedVersion'; readonly version: number; readonly maxVersion: number };

/**
 * How entries of one log become body lines and back. `version` is both the version written and the newest one
 * read. `decode` throws on anything it cannot vouch for; the throw is reported as corruption.
 */
export interface LogCodec<T> {
  readonly version: number;
  encode(value: T): string[];
  decode(lines: readonly string[], version: number): T;
}

/**
 * Decodes the bytes of one checkpoint file with `codec`, framed by `format` (weir's checksummed file unless
 * told otherwise). Total: never throws.
 */
export function decodeFileStatus<T>(
  data: Uint8Array,
  codec: LogCodec<T>,
  format: LogFileFormat = checksummedLogFormat,
): FileStatus<T> {
  const decoded = format.decode(data, codec.version);
  if (decoded.kind !== 'ok') return decoded;
  try {
    return { kind: 'ok', value: codec.decode(decoded.lines, decoded.version) };
  } catch (e) {
    return { kind: 'corrupt', reason: `cannot decode entry: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Encodes `value` into a whole checkpoint file, refusing (INVALID_ARGUMENT) a value its own codec could not
 * read back: what is written must be readable, or recovery would later report a healthy file as corrupt.
 */
export function encodeEntry<T>(
  codec: LogCodec<T>,
  value: T,
  what: string,
  format: LogFileFormat = checksummedLogFormat,
): string {
  let lines: string[];
  try {
    lines = codec.encode(value);
    codec.decode(lines, codec.version);
  } catch (e) {
    if (e instanceof WeirError) throw e;
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Cannot write ${what} entry: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  try {
    return format.encode(codec.version, lines);
  } catch (e) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Cannot write ${what} entry: ${(e as Error).message}`, { cause: e });
  }
}

/** Spark's message for a log written by a newer version, with weir's name in it. */
export function unsupportedVersionMessage(version: number, maxVersion: number): string {
  return (
    `UnsupportedLogVersion: maximum supported log version is v${maxVersion}, but encountered v${version}. ` +
    'The log file was produced by a newer version of weir and cannot be read by this version. Please upgrade.'
  );
}

/** The message naming a damaged file: what is wrong and where. */
export function fileStatusMessage(status: Exclude<FileStatus<unknown>, { kind: 'ok' }>, path: string): string {
  switch (status.kind) {
    case 'torn':
      return `Checkpoint file ${path} is torn (${status.reason})`;
    case 'corrupt':
      return `Checkpoint file ${path} is corrupt (${status.reason})`;
    case 'unsupportedVersion':
      return `${unsupportedVersionMessage(status.version, status.maxVersion)} (file ${path})`;
  }
}

/** The WeirError for a damaged file: CHECKPOINT_UNSUPPORTED_VERSION, else CHECKPOINT_CORRUPT. */
export function fileStatusError(
  status: Exclude<FileStatus<unknown>, { kind: 'ok' }>,
  context: WeirErrorContext & { path: string },
): WeirError {
  const code = status.kind === 'unsupportedVersion' ? ErrorCodes.CHECKPOINT_UNSUPPORTED_VERSION : ErrorCodes.CHECKPOINT_CORRUPT;
  return new WeirError(code, fileStatusMessage(status, context.path), { context });
}
