/**
 * The checkpoint layer's public surface.
 *
 * Invariant: the engine, sources and sinks reach the checkpoint through these exports only.
 */
export { Checkpoint, DEFAULT_MIN_BATCHES_TO_RETAIN, type CheckpointOpenOptions } from './Checkpoint';
export { CheckpointLock, type CheckpointLockOptions, type LockHolder } from './CheckpointLock';
export {
  CHECKPOINT_METADATA_VERSION,
  checkpointMetadataCodec,
  readCheckpointMetadata,
  writeCheckpointMetadata,
  type CheckpointMetadata,
} from './CheckpointMetadata';
export { COMMIT_LOG_VERSION, CommitLog, commitCodec, type CommitEntry } from './CommitLog';
export {
  COMPACT_FILE_SUFFIX,
  CompactibleMetadataLog,
  DEFAULT_CLEANUP_DELAY_MS,
  DEFAULT_COMPACT_INTERVAL,
  allFilesRange,
  checkCompactInterval,
  deriveCompactInterval,
  listCompactibleFilesSync,
  parseCompactibleFileName,
  readAllFilesSync,
  type CompactibleLogFile,
  type CompactibleMetadataLogOptions,
  type CompactionRules,
} from './CompactibleMetadataLog';
export {
  TEMP_FILE_PREFIX,
  fsyncDirectory,
  isTempFileName,
  mkdirsDurably,
  removeFileDurably,
  writeFileDurably,
} from './durableWrite';
export { FileCheckpointStore } from './FileCheckpointStore';
export {
  decodeFileStatus,
  encodeEntry,
  fileStatusError,
  unsupportedVersionMessage,
  type FileStatus,
  type LogCodec,
} from './FileStatus';
export {
  COMMITS_DIR,
  LOCK_FILE,
  METADATA_FILE,
  OFFSETS_DIR,
  SOURCES_DIR,
  STATE_DIR,
  batchFileName,
  parseBatchFileName,
} from './layout';
export { checksummedLogFormat, decodeLogFile, encodeLogFile, type DecodedLogFile, type LogFileFormat } from './logFile';
export { MemoryCheckpointStore, type MemoryCheckpointStoreOptions } from './MemoryCheckpointStore';
export {
  MetadataLog,
  plainBatchFileNaming,
  type LogEntry,
  type LogFile,
  type LogFileNaming,
  type MetadataLogOptions,
} from './MetadataLog';
export { hasModificationTimes, type ModificationTimes } from './modificationTime';
export { decodeSparkLogFile, encodeSparkLogFile, sparkPlainLogFormat } from './sparkLogFile';
export { OFFSET_SEQ_LOG_VERSION, OffsetSeqLog, offsetSeqCodec, type OffsetSeq, type OffsetSeqMetadata } from './OffsetSeqLog';
export {
  commitsPath,
  offsetsPath,
  planRecovery,
  type CheckpointSnapshot,
  type RecoveryErrorPlan,
  type RecoveryOptions,
  type RecoveryPlan,
} from './recoveryPlanner';
