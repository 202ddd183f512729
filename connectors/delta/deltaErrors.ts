/**
 * The errors of the Delta connector: each a `WeirError` of an existing code, with Delta's own exception name in
 * `context.deltaError` and its error class in `context.errorClass`, so a test (or a user) can tell them apart
 * without parsing messages.
 *
 * Invariant: every failure of the Delta log, commit or table code goes through one of these functions; none is
 * thrown as a bare Error. (Proposed dedicated codes, not yet in lib/errors.ts: DELTA_LOG_CORRUPT,
 * DELTA_VERSIONS_NOT_CONTIGUOUS, DELTA_UNSUPPORTED_FEATURE, DELTA_CONCURRENT_MODIFICATION, DELTA_TABLE_NOT_FOUND.)
 */
import { ErrorCodes, WeirError, type ErrorCode } from '../../lib/errors';

/** Delta's exception names weir raises. */
export type DeltaExceptionName =
  | 'DeltaIllegalStateException'
  | 'DeltaUnsupportedTableFeatureException'
  | 'InvalidProtocolVersionException'
  | 'ConcurrentAppendException'
  | 'ConcurrentDeleteReadException'
  | 'ConcurrentDeleteDeleteException'
  | 'MetadataChangedException'
  | 'ProtocolChangedException'
  | 'ConcurrentTransactionException'
  | 'DeltaAnalysisException'
  | 'DeltaFileNotFoundException';

function deltaError(
  code: ErrorCode,
  deltaErrorName: DeltaExceptionName,
  errorClass: string,
  message: string,
  context: Record<string, unknown> = {},
  cause?: unknown,
): WeirError {
  return new WeirError(code, `[${errorClass}] ${message}`, {
    context: { ...context, deltaError: deltaErrorName, errorClass },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A commit or checkpoint file that does not parse (torn, truncated, not Delta JSON). */
export function logCorrupt(path: string, message: string, cause?: unknown): WeirError {
  return deltaError(ErrorCodes.SOURCE_ERROR, 'DeltaIllegalStateException', 'DELTA_LOG_CORRUPT', `The Delta log file ${path} is corrupt: ${message}`, { path }, cause);
}

/** A gap in the sequence of commit versions (Delta's DELTA_VERSIONS_NOT_CONTIGUOUS). */
export function versionsNotContiguous(tablePath: string, versions: readonly number[], missing: number): WeirError {
  return deltaError(
    ErrorCodes.SOURCE_ERROR,
    'DeltaIllegalStateException',
    'DELTA_VERSIONS_NOT_CONTIGUOUS',
    `Versions (${versions.join(', ')}) are not contiguous: version ${missing} is missing from ${tablePath}/_delta_log.`,
    { path: tablePath, missingVersion: missing },
  );
}

/** A table feature (or protocol version) this weir does not implement. */
export function unsupportedFeatures(tablePath: string, forWhat: 'read' | 'write', features: readonly string[]): WeirError {
  return deltaError(
    forWhat === 'read' ? ErrorCodes.SOURCE_ERROR : ErrorCodes.SINK_ERROR,
    'DeltaUnsupportedTableFeatureException',
    forWhat === 'read' ? 'DELTA_UNSUPPORTED_FEATURES_FOR_READ' : 'DELTA_UNSUPPORTED_FEATURES_FOR_WRITE',
    `Unable to ${forWhat} the Delta table ${tablePath} because it requires table feature(s) not supported by weir: ${features.join(', ')}.`,
    { path: tablePath, features: [...features] },
  );
}

/** A protocol version beyond what weir knows. */
export function invalidProtocolVersion(tablePath: string, reader: number, writer: number): WeirError {
  return deltaError(
    ErrorCodes.SOURCE_ERROR,
    'InvalidProtocolVersionException',
    'DELTA_INVALID_PROTOCOL_VERSION',
    `Unsupported Delta protocol version: table ${tablePath} requires reader version ${reader} and writer version ${writer}.`,
    { path: tablePath, minReaderVersion: reader, minWriterVersion: writer },
  );
}

/** A lost optimistic-concurrency race that cannot be resolved by retrying. */
export function concurrentModification(
  name: 'ConcurrentAppendException' | 'ConcurrentDeleteReadException' | 'ConcurrentDeleteDeleteException' | 'MetadataChangedException' | 'ProtocolChangedException' | 'ConcurrentTransactionException',
  tablePath: string,
  message: string,
  context: Record<string, unknown> = {},
): WeirError {
  const errorClass = {
    ConcurrentAppendException: 'DELTA_CONCURRENT_APPEND',
    ConcurrentDeleteReadException: 'DELTA_CONCURRENT_DELETE_READ',
    ConcurrentDeleteDeleteException: 'DELTA_CONCURRENT_DELETE_DELETE',
    MetadataChangedException: 'DELTA_METADATA_CHANGED',
    ProtocolChangedException: 'DELTA_PROTOCOL_CHANGED',
    ConcurrentTransactionException: 'DELTA_CONCURRENT_TRANSACTION',
  }[name];
  return deltaError(ErrorCodes.SINK_ERROR, name, errorClass, message, { path: tablePath, ...context });
}

/** No `_delta_log` (or no commit in it) at a path that must be a table. */
export function notADeltaTable(tablePath: string): WeirError {
  return deltaError(ErrorCodes.PATH_NOT_FOUND, 'DeltaAnalysisException', 'DELTA_MISSING_DELTA_TABLE', `${tablePath} is not a Delta table.`, { path: tablePath });
}

/** A version asked for (time travel) that the log does not hold. */
export function versionNotFound(tablePath: string, version: number, latest: number): WeirError {
  return deltaError(
    ErrorCodes.INVALID_ARGUMENT,
    'DeltaFileNotFoundException',
    'DELTA_VERSION_NOT_FOUND',
    `Cannot time travel Delta table ${tablePath} to version ${version}. Available versions: [0, ${latest}].`,
    { path: tablePath, version, latestVersion: latest },
  );
}

/** Any other invalid use (bad schema, partition column, ...), Delta's AnalysisException. */
export function deltaAnalysis(errorClass: string, message: string, context: Record<string, unknown> = {}): WeirError {
  return deltaError(ErrorCodes.INVALID_ARGUMENT, 'DeltaAnalysisException', errorClass, message, context);
}
