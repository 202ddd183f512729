/**
 * Rebuilding state that is behind the checkpoint by re-running the missing versions from the offsets log.
 *
 * Invariant: a batch whose state store is at version V < N - 1 when batch N opens it (the state lost committed
 * versions: a power loss with LevelDB's unsynced tail, a state folder restored from an older copy, or moved away
 * to rebuild damaged state) is preceded by re-runs of batches V + 1 .. N - 1, each with exactly its logged
 * offsets, watermarks and timestamp, through the operators and the state stores only: the sink got those
 * batches already (`commits/k` exists for each), so it is not called, and neither log is written. A re-run
 * computes the same state as the first run because a batch is a function of its logged range and the previous
 * version (the batch protocol's determinism). The re-run needs `offsets/V` .. `offsets/N-1` (all of them from
 * `offsets/0` when the state is empty) and a source that still serves those ranges; without them the original
 * version mismatch stands, its message saying which entry is gone.
 *
 * Spark has no such recovery (it fails with CANNOT_LOAD_STATE_STORE when a state file is missing); the conf
 * `weir.sql.streaming.stateRebuild` = `false` turns it off and keeps the failure.
 */
import type { Offset, OutputMode, Row, Source, StateStoreProvider } from '../contracts';
import { ErrorCodes, WeirError, isWeirError } from '../errors';
import type { MetadataLog } from '../checkpoint/MetadataLog';
import type { OffsetSeq } from '../checkpoint/OffsetSeqLog';
import { EngineBatchContext } from './EngineBatchContext';
import type { QueryPlan } from './QueryPlan';
import type { SourceRows } from './readRows';

/** The conf that turns the replay off (`false`); on by default. */
export const STATE_REBUILD_CONF = 'weir.sql.streaming.stateRebuild';

/** What a replay needs from the engine. */
export interface StateReplayHost {
  readonly queryId: string;
  readonly checkpointLocation: string;
  readonly offsetLog: MetadataLog<OffsetSeq>;
  readonly sources: readonly Source<Row>[];
  readonly plan: QueryPlan;
  readonly outputMode: OutputMode;
  readonly stateProvider: StateStoreProvider;
  /** The rows of every source over (start, end], as the engine reads a batch. */
  readInputs(batchId: number, start: readonly Offset[], end: readonly Offset[]): Promise<SourceRows[]>;
}

/** Whether the conf allows the replay (anything but `false`). */
export function stateReplayEnabled(conf: ReadonlyMap<string, string>): boolean {
  const value = conf.get(STATE_REBUILD_CONF) ?? conf.get(STATE_REBUILD_CONF.replace(/^weir\./, 'spark.'));
  return value === undefined || value.trim().toLowerCase() !== 'false';
}

/**
 * The version the state was found at when `e` is the version mismatch of a store that is behind `batchId - 1`
 * (the case a replay repairs); undefined for any other error.
 */
export function versionBehind(e: unknown, batchId: number): number | undefined {
  if (!isWeirError(e, ErrorCodes.STATE_VERSION_MISMATCH)) return undefined;
  const found = e.context.foundVersion;
  const at = e.context.batchId;
  return typeof found === 'number' && typeof at === 'number' && at === batchId && found < batchId - 1 ? found : undefined;
}

/** At most this many rounds (one per operator found behind at a lower version) before giving up. */
const MAX_ROUNDS = 16;

/**
 * Re-runs batches `from` .. `to` into the state stores (see the file comment). When a re-run finds another
 * operator further behind, the replay starts again from that operator's version.
 *
 * @throws the mismatch `cause` (with the missing offsets entry named) when the offsets log no longer holds a
 * batch the replay needs; any error of a re-run batch as is.
 */
export async function replayStateVersions(host: StateReplayHost, from: number, to: number, cause: WeirError): Promise<void> {
  let start = from;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    let restartAt: number | undefined;
    for (let batchId = start; batchId <= to; batchId += 1) {
      try {
        await replayBatch(host, batchId, cause);
      } catch (e) {
        const found = versionBehind(e, batchId);
        if (found === undefined || found + 1 >= start) throw e;
        restartAt = found + 1;
        break;
      }
    }
    if (restartAt === undefined) return;
    start = restartAt;
  }
  throw cause;
}

async function replayBatch(host: StateReplayHost, batchId: number, cause: WeirError): Promise<void> {
  const entry = await host.offsetLog.get(batchId);
  const previous = batchId === 0 ? undefined : await host.offsetLog.get(batchId - 1);
  if (entry === undefined || (batchId > 0 && previous === undefined)) {
    const missing = entry === undefined ? batchId : batchId - 1;
    throw new WeirError(
      ErrorCodes.STATE_VERSION_MISMATCH,
      `${cause.message}. The state cannot be rebuilt by re-running batch ${batchId}: offsets/${missing} is no longer ` +
        'in the checkpoint (raise minBatchesToRetain to keep more batches)',
      { context: { ...cause.context, path: `offsets/${missing}` }, cause },
    );
  }
  const initial = await Promise.all(host.sources.map((s) => s.initialOffset()));
  const resolve = (seq: OffsetSeq | undefined): Offset[] =>
    seq === undefined ? initial : seq.offsets.map((o, i) => (o === null ? initial[i]! : o));
  const start = resolve(previous);
  const end = resolve(entry);
  const context = new EngineBatchContext(host.queryId, host.checkpointLocation, batchId, host.stateProvider);
  try {
    const inputs = await host.readInputs(batchId, start, end);
    await host.plan.execute({
      batchId,
      watermarkMs: entry.metadata.batchWatermarkMs,
      lateEventsWatermarkMs: previous?.metadata.batchWatermarkMs ?? 0,
      batchTimestampMs: entry.metadata.batchTimestampMs,
      outputMode: host.outputMode,
      context,
      inputs,
    });
    context.resolveEventTimeReports();
    await context.commitStores();
  } catch (e) {
    await context.abortStores();
    if (isWeirError(e)) throw e;
    throw new WeirError(ErrorCodes.OPERATOR_ERROR, `The operator failed: ${(e as Error)?.message ?? String(e)}`, {
      cause: e,
      context: { batchId },
    });
  }
}
