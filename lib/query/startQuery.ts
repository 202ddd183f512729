/**
 * The RxJS face: start a query from a source, a pipeline of operators and a sink.
 *
 * Invariant: the pipeline is applied to one batch at a time as `of(batch).pipe(pipeline)` and must emit exactly
 * one MicroBatch; operators keep nothing between batches except through the batch context's state stores, so a
 * restarted query (or a re-run batch) computes the same output as an uninterrupted one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OperatorFunction } from 'rxjs';
import type { Clock, MicroBatch, OutputMode, Row, Sink, Source, StateStoreProvider } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import type { Failpoint } from '../engine/MicroBatchExecution';
import { toTrigger, type TriggerSpec } from '../engine/Trigger';
import { SystemClock } from '../time/SystemClock';
import { LevelStateStoreProvider } from '../state/LevelStateStoreProvider';
import type { PlanNode } from '../plan/PlanNode';
import { StreamingQuery, type QueryStartOptions } from './StreamingQuery';
import { StreamingQueryManager } from './StreamingQueryManager';
import type { CheckedPipeline, PipelineOperator, PipelineOutput, SinkAccepting } from './pipelineTypes';
import type { SourceProvider } from './sourceProvider';
import { pipelineTree, treeWithPipeline, type QueryInput } from './pipelineTree';
import { queryPlanOf } from './queryPlanOf';
import { COMPLETE_WITHOUT_AGGREGATION, CORRECTNESS_ISSUE } from '../plan/analysisMessages';

export type { QueryInput };

/**
 * Options of `startQuery`. Every default is visible here. `I` is the source's row type, `O` the sink's, `P` the
 * operators of an array pipeline (inferred as a tuple, so that each operator's input is checked against the rows
 * before it: see `pipelineTypes.ts`).
 */
export interface StartQueryOptions<I = Row, O = Row, P extends ReadonlyArray<PipelineOperator> = ReadonlyArray<PipelineOperator>> {
  /**
   * Where rows come from (`weir-streams/sources`). Give either `source` or `inputs`. A Source object belongs to
   * this query while it runs; a MemoryStream (or any `SourceProvider`) gives each query a source of its own.
   */
  readonly source?: Source<I> | SourceProvider<I>;
  /**
   * Several inputs, each with its own operators (e.g. its own `withWatermark`), unioned (Spark's `union`)
   * before `pipeline` runs; or joined, when `pipeline` starts with `joinStream`.
   */
  readonly inputs?: ReadonlyArray<QueryInput>;
  /**
   * A whole plan tree (`sourceNode`, `pipeNode`, `unionNode`, `joinNode` from `weir-streams`; a join's operator
   * from `streamJoinOperator`) instead of `source` or `inputs`; the DataFrame face starts its queries this way.
   * `pipeline` then runs after the tree.
   */
  readonly plan?: PlanNode;
  /**
   * Operators over `Observable<MicroBatch>`: one operator (e.g. `pipe(a, b)` from rxjs) or an array of them
   * (named in `explain()`). Absent = rows pass through unchanged. Checked at compile time (`startQuery`): an
   * array literal operator by operator, each operator must accept the rows of the one before it, the first one
   * the source's rows (with `inputs`, the union's rows are not typed: `any`).
   */
  readonly pipeline?: OperatorFunction<MicroBatch<NoInfer<I>>, MicroBatch<O>> | P;
  /** Where results go (`weir-streams/sinks`); it must accept the rows the pipeline produces. */
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
  /** State stores of stateful operators; default: one LevelDB under `<checkpoint>/state`, opened on first use. */
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

/**
 * The compile-time checks of `startQuery`'s pipeline and sink (see `pipelineTypes.ts`), apart from the options so
 * that the pipeline's type is inferred before it is checked: a pipeline held in a variable of a union type
 * (`cond ? [a, b] : [c]`) stays that union.
 */
export type PipelineChecks<I, O, P extends ReadonlyArray<PipelineOperator>> = NoInfer<
  [P] extends [readonly [] | readonly [unknown, ...unknown[]]]
    ? [P] extends [never]
      ? unknown
      : { readonly pipeline?: CheckedPipeline<I, P>; readonly sink: SinkAccepting<PipelineOutput<I, P>, O> }
    : unknown
>;

export { COMPLETE_WITHOUT_AGGREGATION, CORRECTNESS_ISSUE };

/** The name prefix of temporary checkpoint folders (under the OS temp folder; Spark's is `temporary-`). */
export const TEMP_CHECKPOINT_PREFIX = 'weir-temporary-';

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

/**
 * Starts a streaming query and returns its handle once the checkpoint is open (`onQueryStarted` delivered).
 *
 * @example
 * import { pipe, map } from 'rxjs'
 * import { startQuery, Trigger } from 'weir-streams'
 * import { rateMicroBatch } from 'weir-streams/sources'
 * import { rows } from 'weir-streams/operators'
 * import { consoleSink } from 'weir-streams/sinks'
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
export async function startQuery<I = any, O = Row, const P extends ReadonlyArray<PipelineOperator> = ReadonlyArray<PipelineOperator>>(
  options: StartQueryOptions<I, O, P> & PipelineChecks<I, O, P>,
): Promise<StreamingQuery> {
  const {
    source,
    inputs,
    plan: tree,
    pipeline,
    sink,
    outputMode = 'append',
    trigger,
    checkpointLocation,
    queryName,
    manager = new StreamingQueryManager(),
    clock = new SystemClock(),
    conf = {},
    stateStoreProvider = (statePath: string) => new LevelStateStoreProvider(statePath),
    logger = { warn: (m: string) => console.warn(m) },
    minBatchesToRetain = 100,
    numRecentProgressUpdates = 100,
    pollingDelayMs,
    noDataProgressEventIntervalMs,
    noDataMicroBatchesEnabled,
    failpoint,
  } = options;
  const given = [source !== undefined, inputs !== undefined && inputs.length > 0, tree !== undefined].filter((x) => x).length;
  if (given !== 1 || sink === undefined) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'startQuery needs a sink and one of a source, inputs or a plan', {
      context: { source: String(source), inputs: inputs?.length, sink: String(sink) },
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
  const confValue = (key: string): string | undefined => confMap.get(`weir.${key}`) ?? confMap.get(`spark.${key}`);
  const noDataBatches =
    noDataMicroBatchesEnabled ??
    (confValue('sql.streaming.noDataMicroBatches.enabled') === undefined
      ? undefined
      : confValue('sql.streaming.noDataMicroBatches.enabled')!.toLowerCase() === 'true');
  let location = checkpointLocation ?? confValue('sql.streaming.checkpointLocation');
  let deleteCheckpointOnStop = false;
  if (location !== undefined && checkpointLocation === undefined && queryName !== undefined) {
    location = path.join(location, queryName);
  }
  if (location === undefined && !(sink as Sink<unknown>).useTempCheckpointLocation) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, CHECKPOINT_REQUIRED, { context: { sink: sink.description } });
  }
  manager.assertNameFree(queryName ?? null);
  // This query's own sources (a provider, e.g. a MemoryStream or a DataFrame's relation, makes new ones).
  const root = tree !== undefined ? treeWithPipeline(tree, pipeline) : pipelineTree(inputs ?? [{ source: source! }], pipeline);
  const plan = queryPlanOf(root, logger);
  if (location === undefined) {
    // A temporary checkpoint is removed when the query ends, also when it fails (StreamingQuery) or cannot start
    // (below): see QueryStartOptions.deleteCheckpointOnStop.
    location = mkdtempSync(path.join(tmpdir(), TEMP_CHECKPOINT_PREFIX));
    deleteCheckpointOnStop = true;
  }
  const startOptions: QueryStartOptions = {
    plan,
    sink: sink as unknown as Sink<Row>,
    outputMode: mode,
    trigger: parsedTrigger,
    checkpointLocation: path.resolve(location),
    deleteCheckpointOnStop,
    queryName: queryName ?? null,
    clock,
    conf: confMap,
    stateStoreProvider,
    logger,
    bus: manager.bus,
    ...(failpoint ? { failpoint } : {}),
    minBatchesToRetain,
    numRecentProgressUpdates,
    ...(pollingDelayMs !== undefined ? { pollingDelayMs } : {}),
    ...(noDataProgressEventIntervalMs !== undefined ? { noDataProgressEventIntervalMs } : {}),
    ...(noDataBatches !== undefined ? { noDataMicroBatchesEnabled: noDataBatches } : {}),
    onTerminated: (q) => manager.notifyTerminated(q),
  };
  let query: StreamingQuery;
  try {
    query = await StreamingQuery.start(startOptions);
  } catch (e) {
    if (deleteCheckpointOnStop) rmSync(location, { recursive: true, force: true });
    throw e;
  }
  manager.register(query);
  return query;
}
