/**
 * The RxJS face: start a query from a source, a pipeline of operators and a sink.
 *
 * Invariant: the pipeline is applied to one batch at a time as `of(batch).pipe(pipeline)` and must emit exactly
 * one MicroBatch; operators keep nothing between batches except through the batch context's state stores, so a
 * restarted query (or a re-run batch) computes the same output as an uninterrupted one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { lastValueFrom, of, pipe, toArray, type OperatorFunction } from 'rxjs';
import type { Clock, MicroBatch, OutputMode, Row, Sink, Source, StateStoreProvider } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import type { Failpoint } from '../engine/MicroBatchExecution';
import type { BatchInput, QueryPlan } from '../engine/QueryPlan';
import { toTrigger, type TriggerSpec } from '../engine/Trigger';
import { SystemClock } from '../time/SystemClock';
import { operatorName } from '../../operators/describeOperator';
import { StreamingQuery } from './StreamingQuery';
import { StreamingQueryManager } from './StreamingQueryManager';

/** Options of `startQuery`. Every default is visible here. */
export interface StartQueryOptions<I = Row, O = Row> {
  /** Where rows come from (`weir/sources`). */
  readonly source: Source<I>;
  /**
   * Operators over `Observable<MicroBatch>`: one operator (e.g. `pipe(a, b)` from rxjs) or an array of them
   * (named in `explain()`). Absent = rows pass through unchanged.
   */
  readonly pipeline?: OperatorFunction<MicroBatch<I>, MicroBatch<O>> | ReadonlyArray<OperatorFunction<any, any>>;
  /** Where results go (`weir/sinks`). */
  readonly sink: Sink<O>;
  /** `'append'` (default), `'update'` or `'complete'` (case-insensitive). */
  readonly outputMode?: OutputMode | string;
  /** Default: as fast as possible (ProcessingTime(0)). */
  readonly trigger?: TriggerSpec;
  /**
   * Checkpoint folder. Required unless the sink allows a temporary one (memory, console), as in Spark.
   */
  readonly checkpointLocation?: string;
  readonly queryName?: string;
  /** The manager that lists the query and delivers listener events; a private one by default. */
  readonly manager?: StreamingQueryManager;
  readonly clock?: Clock;
  /** Confs (`weir.sql.streaming.multipleWatermarkPolicy`, ...); `spark.` keys are accepted as aliases. */
  readonly conf?: Readonly<Record<string, string>>;
  readonly stateStoreProvider?: (statePath: string) => StateStoreProvider;
  readonly logger?: { warn(message: string): void };
  /** Keep the last N batches of offsets/commits (Spark's minBatchesToRetain). */
  readonly minBatchesToRetain?: number;
  readonly numRecentProgressUpdates?: number;
  /** Idle polling delay of the default trigger (ms). */
  readonly pollingDelayMs?: number;
  readonly noDataProgressEventIntervalMs?: number;
  readonly noDataMicroBatchesEnabled?: boolean;
  /** Hook at each step of the batch protocol (crash tests). */
  readonly failpoint?: (point: Failpoint, batchId: number) => void | Promise<void>;
}

const CHECKPOINT_REQUIRED =
  'checkpointLocation must be specified either through option("checkpointLocation", ...) or ' +
  'SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...)';

/** Parses an output mode the way Spark does (case-insensitive). */
export function parseOutputMode(mode: string): OutputMode {
  const m = mode.toLowerCase();
  if (m === 'append' || m === 'update' || m === 'complete') return m;
  throw new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `Unknown output mode ${mode}. Accepted output modes are 'append', 'complete', 'update'`,
    { context: { outputMode: mode } },
  );
}

function pipelinePlan<I, O>(
  source: Source<I>,
  pipeline: StartQueryOptions<I, O>['pipeline'],
): QueryPlan {
  const operators: ReadonlyArray<OperatorFunction<any, any>> =
    pipeline === undefined ? [] : Array.isArray(pipeline) ? pipeline : [pipeline as OperatorFunction<any, any>];
  const composed = operators.reduce<OperatorFunction<any, any>>((acc, op) => pipe(acc, op), (x) => x);
  return {
    sources: [source as unknown as Source<Row>],
    async execute(input: BatchInput): Promise<readonly Row[]> {
      const batch: MicroBatch<Row> = {
        batchId: input.batchId,
        rows: input.inputs[0] ?? [],
        watermarkMs: input.watermarkMs,
        batchTimestampMs: input.batchTimestampMs,
        outputMode: input.outputMode,
        context: input.context,
      };
      if (operators.length === 0) return batch.rows;
      const emitted = await lastValueFrom(of(batch).pipe(composed, toArray()));
      if (emitted.length !== 1) {
        throw new WeirError(
          ErrorCodes.OPERATOR_ERROR,
          `The pipeline must emit exactly one MicroBatch per input batch, but emitted ${emitted.length} for batch ${input.batchId}`,
          { context: { batchId: input.batchId } },
        );
      }
      return (emitted[0] as MicroBatch<Row>).rows;
    },
    explain(): string[] {
      return [...operators.map((op) => operatorName(op)).reverse(), `StreamingDataSource ${source.description}`];
    },
  };
}

/**
 * Starts a streaming query and returns its handle once the checkpoint is open (`onQueryStarted` delivered).
 *
 * @example
 * import { pipe, map } from 'rxjs'
 * import { startQuery, Trigger } from 'weir'
 * import { rateMicroBatch } from 'weir/sources'
 * import { rows } from 'weir/operators'
 * import { consoleSink } from 'weir/sinks'
 *
 * const query = await startQuery({
 *   source: rateMicroBatch({ rowsPerBatch: 5 }),
 *   pipeline: rows(map((r) => ({ ...r, square: r.value * r.value }))),
 *   sink: consoleSink(),
 *   trigger: Trigger.ProcessingTime('1 second'),
 *   checkpointLocation: '/tmp/weir-demo',
 * })
 * await query.awaitTermination(5000)
 * await query.stop()
 */
export async function startQuery<I = Row, O = Row>(options: StartQueryOptions<I, O>): Promise<StreamingQuery> {
  const {
    source,
    pipeline,
    sink,
    outputMode = 'append',
    trigger,
    checkpointLocation,
    queryName,
    manager = new StreamingQueryManager(),
    clock = new SystemClock(),
    conf = {},
    stateStoreProvider,
    logger = { warn: (m: string) => console.warn(m) },
    minBatchesToRetain = 100,
    numRecentProgressUpdates = 100,
    pollingDelayMs,
    noDataProgressEventIntervalMs,
    noDataMicroBatchesEnabled,
    failpoint,
  } = options;
  if (source === undefined || sink === undefined) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'startQuery needs a source and a sink', {
      context: { source: String(source), sink: String(sink) },
    });
  }
  const mode = parseOutputMode(outputMode);
  const parsedTrigger = toTrigger(trigger);
  if (!Number.isInteger(minBatchesToRetain) || minBatchesToRetain < 1) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `minBatchesToRetain must be a positive integer: ${minBatchesToRetain}`, {
      context: { minBatchesToRetain },
    });
  }
  const confMap = new Map(Object.entries(conf));
  let location = checkpointLocation ?? confMap.get('weir.sql.streaming.checkpointLocation');
  let deleteCheckpointOnStop = false;
  if (location !== undefined && checkpointLocation === undefined && queryName !== undefined) {
    location = path.join(location, queryName);
  }
  if (location === undefined) {
    if (!(sink as Sink<unknown>).useTempCheckpointLocation) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, CHECKPOINT_REQUIRED, { context: { sink: sink.description } });
    }
    location = mkdtempSync(path.join(tmpdir(), 'weir-temporary-'));
    deleteCheckpointOnStop = true;
  }
  manager.assertNameFree(queryName ?? null);
  const query = await StreamingQuery.start({
    plan: pipelinePlan(source, pipeline),
    sink: sink as unknown as Sink<Row>,
    outputMode: mode,
    trigger: parsedTrigger,
    checkpointLocation: path.resolve(location),
    deleteCheckpointOnStop,
    queryName: queryName ?? null,
    clock,
    conf: confMap,
    ...(stateStoreProvider ? { stateStoreProvider } : {}),
    logger,
    bus: manager.bus,
    ...(failpoint ? { failpoint } : {}),
    minBatchesToRetain,
    numRecentProgressUpdates,
    ...(pollingDelayMs !== undefined ? { pollingDelayMs } : {}),
    ...(noDataProgressEventIntervalMs !== undefined ? { noDataProgressEventIntervalMs } : {}),
    ...(noDataMicroBatchesEnabled !== undefined ? { noDataMicroBatchesEnabled } : {}),
    onTerminated: (q) => manager.notifyTerminated(q),
  });
  manager.register(query);
  return query;
}
