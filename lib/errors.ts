/**
 * The one error root of weir.
 *
 * Invariant: every error weir raises is a `WeirError` with a `code` from the closed catalogue below and its
 * context (batchId, path, offset, ...) as fields, never only inside the message. Tests assert the code. An error
 * Spark raises with a condition carries that condition, its SQLSTATE and parameters, and Spark's text.
 */
import { conditionMessage, conditionSqlState } from './errorConditions/conditionMessage';

/** The closed catalogue of error codes (documented in the README). */
export const ErrorCodes = {
  /** An argument or option is invalid (bad trigger interval, unknown option value, ...). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** The output mode is not supported by the sink or the query. */
  UNSUPPORTED_OUTPUT_MODE: 'UNSUPPORTED_OUTPUT_MODE',
  /** A checkpoint file fails its checksum or cannot be parsed. */
  CHECKPOINT_CORRUPT: 'CHECKPOINT_CORRUPT',
  /** A checkpoint file was written by a newer log version than this weir reads. */
  CHECKPOINT_UNSUPPORTED_VERSION: 'CHECKPOINT_UNSUPPORTED_VERSION',
  /** A batch the checkpoint needs is missing (a gap in offsets/ or commits/). */
  CHECKPOINT_MISSING_BATCH: 'CHECKPOINT_MISSING_BATCH',
  /** offsets/ and commits/ disagree in a way no crash can produce. */
  CHECKPOINT_INCONSISTENT: 'CHECKPOINT_INCONSISTENT',
  /** A checkpoint file belongs to another query (its query id differs from `metadata`). */
  CHECKPOINT_QUERY_ID_MISMATCH: 'CHECKPOINT_QUERY_ID_MISMATCH',
  /** The checkpoint metadata file is missing while logs exist. */
  CHECKPOINT_METADATA_MISSING: 'CHECKPOINT_METADATA_MISSING',
  /** The checkpoint's source count differs from the query's. */
  CHECKPOINT_SOURCES_CHANGED: 'CHECKPOINT_SOURCES_CHANGED',
  /** Another live query (this process or another) holds the checkpoint. */
  CONCURRENT_QUERY: 'CONCURRENT_QUERY',
  /** A metadata log entry for this batch already exists with other content. */
  LOG_ENTRY_CONFLICT: 'LOG_ENTRY_CONFLICT',
  /** A source failed to produce its offsets or rows. */
  SOURCE_ERROR: 'SOURCE_ERROR',
  /** A sink failed to write a batch. */
  SINK_ERROR: 'SINK_ERROR',
  /** An operator of the pipeline failed or broke the one-batch-in, one-batch-out rule. */
  OPERATOR_ERROR: 'OPERATOR_ERROR',
  /** The query shape is not supported in streaming (Spark's UnsupportedOperationChecker, an AnalysisException). */
  UNSUPPORTED_OPERATION: 'UNSUPPORTED_OPERATION',
  /** The state store's version does not fit the batch being run (state and checkpoint disagree). */
  STATE_VERSION_MISMATCH: 'STATE_VERSION_MISMATCH',
  /** A state store was used after its batch ended (commit, abort, or a newer open) or after close. */
  STATE_STORE_CLOSED: 'STATE_STORE_CLOSED',
  /** A LevelDB read or write failed (disk full, I/O error); retrying may succeed. */
  STATE_STORE_IO: 'STATE_STORE_IO',
  /**
   * The state on disk is damaged: LevelDB dropped records of a damaged log file at recovery, reported a corrupt
   * block, lost its CURRENT/MANIFEST while the checkpoint says state exists, or a weir record does not parse.
   */
  STATE_CORRUPT: 'STATE_CORRUPT',
  /** An expression string does not parse (Spark's PARSE_SYNTAX_ERROR). */
  PARSE_ERROR: 'PARSE_ERROR',
  /** A column name does not resolve against the schema (Spark's UNRESOLVED_COLUMN). */
  UNRESOLVED_COLUMN: 'UNRESOLVED_COLUMN',
  /** A function name is unknown (Spark's UNRESOLVED_ROUTINE). */
  UNRESOLVED_ROUTINE: 'UNRESOLVED_ROUTINE',
  /** An expression's argument types do not fit (Spark's DATATYPE_MISMATCH). */
  DATATYPE_MISMATCH: 'DATATYPE_MISMATCH',
  /** A column name matches several input columns (Spark's AMBIGUOUS_REFERENCE). */
  AMBIGUOUS_REFERENCE: 'AMBIGUOUS_REFERENCE',
  /** A function got the wrong number of arguments (Spark's WRONG_NUM_ARGS). */
  WRONG_NUM_ARGS: 'WRONG_NUM_ARGS',
  /** `format(name)` names no source or sink weir has (Spark's DATA_SOURCE_NOT_FOUND). */
  DATA_SOURCE_NOT_FOUND: 'DATA_SOURCE_NOT_FOUND',
  /** A required option of a source or sink is missing. */
  MISSING_OPTION: 'MISSING_OPTION',
  /** A table or view name is unknown (Spark's TABLE_OR_VIEW_NOT_FOUND). */
  TABLE_OR_VIEW_NOT_FOUND: 'TABLE_OR_VIEW_NOT_FOUND',
  /** The query was stopped while something waited on it. */
  QUERY_STOPPED: 'QUERY_STOPPED',
  /** A streaming query failed; `cause` holds the error that killed it. */
  STREAMING_QUERY_EXCEPTION: 'STREAMING_QUERY_EXCEPTION',
  /** A MemoryStream range was read that was never added. */
  DATA_NOT_AVAILABLE: 'DATA_NOT_AVAILABLE',
  /**
   * Kafka records a batch needs are gone (deleted, aged out, topic deleted or recreated) and `failOnDataLoss` is
   * true. Context: `topic`, `partition`, `fromOffset`, `availableFrom`.
   */
  KAFKA_DATA_LOSS: 'KAFKA_DATA_LOSS',
  /** The exactly-once Kafka sink's transactional producer was fenced by a newer instance of the same query. */
  KAFKA_PRODUCER_FENCED: 'KAFKA_PRODUCER_FENCED',
  /** No Kafka offset matches a requested timestamp (`startingOffsetsByTimestampStrategy` = `error`). */
  KAFKA_OFFSET_NOT_FOUND: 'KAFKA_OFFSET_NOT_FOUND',
  /** A record of a file could not be parsed in FAILFAST mode (Spark's MALFORMED_RECORD_IN_PARSING); context: path, line. */
  MALFORMED_RECORD: 'MALFORMED_RECORD',
  /** An input path of a file source or batch read does not exist (Spark's PATH_NOT_FOUND). */
  PATH_NOT_FOUND: 'PATH_NOT_FOUND',
  /** A batch write in mode errorifexists found its output path present (Spark's PATH_ALREADY_EXISTS). */
  PATH_ALREADY_EXISTS: 'PATH_ALREADY_EXISTS',
  /** `join(other, on, how)` names a join type Spark does not have (Spark's UNSUPPORTED_JOIN_TYPE). */
  UNSUPPORTED_JOIN_TYPE: 'UNSUPPORTED_JOIN_TYPE',
  /** `GroupState.get()` on a group without a value (Spark's NoSuchElementException). */
  STATE_NOT_DEFINED: 'STATE_NOT_DEFINED',
  /**
   * The checkpoint folder of a running query (or its `metadata` file) was deleted or replaced: the run stops at the
   * next batch instead of writing into a folder nobody will read. Context: `path`, `batchId`, `reason`.
   */
  CHECKPOINT_DELETED: 'CHECKPOINT_DELETED',
  /** A write failed because the filesystem is full (ENOSPC, EDQUOT). Context: `path`, `operation`, `errno`. Retriable once space is freed. */
  IO_DISK_FULL: 'IO_DISK_FULL',
  /** A write failed because the filesystem is mounted read-only (EROFS). Context: `path`, `operation`, `errno`. */
  IO_READ_ONLY: 'IO_READ_ONLY',
  /** The process may not read or write a path (EACCES, EPERM). Context: `path`, `operation`, `errno`. */
  IO_PERMISSION_DENIED: 'IO_PERMISSION_DENIED',
  /** A file or folder weir had created or expected vanished during an operation (ENOENT, ENOTDIR). Context: `path`, `operation`, `errno`. */
  IO_NOT_FOUND: 'IO_NOT_FOUND',
  /** The process or the system ran out of file descriptors (EMFILE, ENFILE). Context: `path`, `operation`, `errno`. Retriable. */
  IO_TOO_MANY_OPEN_FILES: 'IO_TOO_MANY_OPEN_FILES',
  /** Any other failure of the filesystem (EIO, ...). Context: `path`, `operation`, `errno`. */
  IO_ERROR: 'IO_ERROR',
  /**
   * A restart's stateful operator keeps another state key than the checkpoint records (Spark's
   * STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE); context: operatorId, stored, provided, path.
   */
  STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE: 'STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE',
  /** The same for the state value (aggregate buffers, group state; Spark's STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE). */
  STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE: 'STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE',
  /**
   * A restart's stateful operators (ids, names, count) differ from those the checkpoint records, a stateless query
   * on a stateful checkpoint included (Spark's STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA).
   */
  STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA: 'STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA',
  /**
   * A data file a batch needs is gone: listed in a file sink's `_spark_metadata` or in a file source's seen-files
   * log, but not on disk (Spark's FAILED_READ_FILE.FILE_NOT_EXIST). Context: path, batchId; `ignoreMissingFiles`
   * skips it instead.
   */
  DATA_FILE_MISSING: 'DATA_FILE_MISSING',
  /**
   * A data file is damaged: its size differs from the one its `_spark_metadata` entry records (a truncated or
   * replaced part file), or its Parquet footer cannot be read (Spark's CANNOT_READ_FILE_FOOTER). Context: path.
   */
  DATA_FILE_DAMAGED: 'DATA_FILE_DAMAGED',
  /**
   * A file sink's output folder holds batches in `_spark_metadata` that the query's checkpoint never ran (another
   * checkpoint wrote them): its batches would be skipped as already committed. Sink option `allowExistingOutput`.
   */
  FILE_SINK_OUTPUT_IN_USE: 'FILE_SINK_OUTPUT_IN_USE',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Context carried as fields on the error. */
export interface WeirErrorContext {
  batchId?: number;
  path?: string;
  offset?: unknown;
  operatorId?: string;
  queryId?: string;
  runId?: string;
  source?: string;
  sink?: string;
  [key: string]: unknown;
}

/** Spark's error condition of a WeirError and its message parameters (Spark's `SparkThrowable`). */
export interface SparkConditionOptions {
  /** Spark's condition, `MAIN` or `MAIN.SUB` (e.g. `STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION`). */
  condition?: string;
  /** The values of the condition's `<name>` placeholders, as Spark's `getMessageParameters()` gives them. */
  messageParameters?: Readonly<Record<string, string>>;
}

/**
 * The root of every error weir raises. `code` is stable; the message is for people. An error Spark raises with a
 * condition also carries Spark's condition, SQLSTATE and message parameters, with PySpark 4's getters
 * (`getCondition()`, `getSqlState()`, `getMessageParameters()`); build one with `sparkError`, whose message is
 * Spark's template filled in.
 */
export class WeirError extends Error {
  readonly code: ErrorCode;
  readonly context: Readonly<WeirErrorContext>;
  /** True when retrying the same call may succeed. */
  readonly retriable: boolean;
  /** Spark's error condition, or null when Spark has none for this error. */
  readonly condition: string | null;
  /** Spark's SQLSTATE of `condition` (from Spark's data), or null. */
  readonly sqlState: string | null;
  /** The condition's message parameters, or null without a condition. */
  readonly messageParameters: Readonly<Record<string, string>> | null;

  constructor(
    code: ErrorCode,
    message: string,
    options: { context?: WeirErrorContext; cause?: unknown; retriable?: boolean } & SparkConditionOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = Object.freeze({ ...(options.context ?? {}) });
    this.retriable = options.retriable ?? false;
    this.condition = options.condition ?? null;
    this.sqlState = this.condition === null ? null : conditionSqlState(this.condition);
    this.messageParameters =
      this.condition === null ? null : Object.freeze({ ...(options.messageParameters ?? {}) });
  }

  /** Spark's error condition (PySpark's `getCondition()`), or null. */
  getCondition(): string | null {
    return this.condition;
  }

  /** Spark's SQLSTATE (PySpark's `getSqlState()`), or null when the condition has none or there is no condition. */
  getSqlState(): string | null {
    return this.sqlState;
  }

  /** The condition's message parameters (PySpark's `getMessageParameters()`), or null without a condition. */
  getMessageParameters(): Readonly<Record<string, string>> | null {
    return this.messageParameters;
  }
}

/**
 * A WeirError for Spark's `condition`, whose message is Spark's: the condition's template from Spark's own data
 * (`lib/errorConditions/`) filled with `parameters`, as `[CONDITION] text SQLSTATE: xxxxx`. A parameter the
 * template names but `parameters` lacks is a weir bug and throws.
 */
export function sparkError(
  code: ErrorCode,
  condition: string,
  parameters: Readonly<Record<string, string>>,
  options: { context?: WeirErrorContext; cause?: unknown; retriable?: boolean } = {},
): WeirError {
  return new WeirError(code, conditionMessage(condition, parameters), {
    ...options,
    condition,
    messageParameters: parameters,
  });
}

/** The error a failed query terminates with (Spark's `StreamingQueryException`). */
export class StreamingQueryException extends WeirError {
  readonly queryId: string;
  readonly runId: string;
  constructor(message: string, options: { queryId: string; runId: string; batchId?: number; cause: unknown }) {
    super(ErrorCodes.STREAMING_QUERY_EXCEPTION, message, {
      cause: options.cause,
      context: { queryId: options.queryId, runId: options.runId, batchId: options.batchId },
    });
    this.queryId = options.queryId;
    this.runId = options.runId;
  }
}

/** True when `e` is a WeirError with the given code. */
export function isWeirError(e: unknown, code?: ErrorCode): e is WeirError {
  return e instanceof WeirError && (code === undefined || e.code === code);
}
