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
import { lastValueFrom, of, pipe, toArray, type OperatorFunction } from 'rxjs';
import type { BatchMetadata, Clock, MicroBatch, OutputMode, Row, Sink, Source, StateStoreProvider } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import type { Failpoint } from '../engine/MicroBatchExecution';
import type { BatchInput, QueryPlan } from '../engine/QueryPlan';
import { toTrigger, type TriggerSpec } from '../engine/Trigger';
import { SystemClock } from '../time/SystemClock';
import { LevelStateStoreProvider } from '../state/LevelStateStoreProvider';
import { operatorAnalysis, operatorName, type AnalysisState } from '../../operators/describeOperator';
import { checkGroupsWithState, type TracedStep } from '../groupState/analysis';
import { StreamingQuery, type QueryStartOptions } from './StreamingQuery';
import { StreamingQueryManager } from './StreamingQueryManager';
import { concatRows } from '../util/concatRows';
import { isRowChunks, type SourceRows } from '../engine/readRows';
import { chunksPlan, withLazyRows } from '../../operators/internal/lazyRows';
import type { CheckedPipeline, Pipeline, PipelineOperator, PipelineOutput, SinkAccepting } from './pipelineTypes';
import { sourceForQuery, type SourceProvider } from './sourceProvider';
import { COMPLETE_WITHOUT_AGGREGATION, CORRECTNESS_ISSUE } from '../plan/analysisMessages';

/**
 * One input of a multi-input query: a source and the operators applied to it before the union. A provider (a
 * DataFrame's relation, a MemoryStream) makes the query's own source when the query starts.
 */
export interface QueryInput {
  readonly source: Source<any> | SourceProvider<any>;
  readonly pipeline?: OperatorFunction<MicroBatch<any>, MicroBatch<any>> | ReadonlyArray<OperatorFunction<any, any>>;
}

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
   * before `pipeline` runs.
   */
  readonly inputs?: ReadonlyArray<QueryInput>;
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

/** A union's event-time column keeps the first input's watermark delay (Spark's Union keeps its first child's attributes). */
function firstDelay(metadata: BatchMetadata | undefined): { eventTimeDelayMs?: number } {
  return metadata?.eventTimeDelayMs === undefined ? {} : { eventTimeDelayMs: metadata.eventTimeDelayMs };
}

function operatorList(pipeline: Pipeline | undefined): ReadonlyArray<PipelineOperator> {
  return pipeline === undefined ? [] : Array.isArray(pipeline) ? pipeline : [pipeline as OperatorFunction<any, any>];
}

/** The first batch of an input: its rows, or a batch whose rows are the chunks' rows, made when visited. */
function inputBatch(base: Omit<MicroBatch<Row>, 'rows'>, rows: SourceRows): MicroBatch<Row> {
  if (!isRowChunks(rows)) return { ...base, rows };
  return withLazyRows<Row>({ ...base, rows: [] }, {}, chunksPlan(rows));
}

/** Runs `operators` over one batch, enforcing one batch out per batch in. */
async function runOperators(
  operators: ReadonlyArray<OperatorFunction<any, any>>,
  batch: MicroBatch<Row>,
): Promise<MicroBatch<Row>> {
  if (operators.length === 0) return batch;
  const composed = operators.reduce<OperatorFunction<any, any>>((acc, op) => pipe(acc, op), (x) => x);
  const emitted = await lastValueFrom(of(batch).pipe(composed, toArray()));
  if (emitted.length !== 1) {
    throw new WeirError(
      ErrorCodes.OPERATOR_ERROR,
      `The pipeline must emit exactly one MicroBatch per input batch, but emitted ${emitted.length} for batch ${batch.batchId}`,
      { context: { batchId: batch.batchId } },
    );
  }
  return emitted[0] as MicroBatch<Row>;
}

/** The QueryPlan of inputs and operators (also used to run batch DataFrames over one batch). */
export function pipelinePlan(inputs: ReadonlyArray<QueryInput>, pipeline: Pipeline | undefined): QueryPlan {
  const operators = operatorList(pipeline);
  const inputOperators = inputs.map((i) => operatorList(i.pipeline));
  // This plan's own sources: a provider makes new ones for every plan (every query run, every batch run).
  const sources = inputs.map((i) => sourceForQuery(i.source as Source<Row> | SourceProvider<Row>));
  return {
    sources,
    async execute(input: BatchInput): Promise<readonly Row[]> {
      const base = {
        batchId: input.batchId,
        watermarkMs: input.watermarkMs,
        lateEventsWatermarkMs: input.lateEventsWatermarkMs,
        batchTimestampMs: input.batchTimestampMs,
        outputMode: input.outputMode,
        context: input.context,
      };
      // Inputs run one after another, in order, so stateful operator ids are the same every batch.
      const parts: MicroBatch<Row>[] = [];
      for (let i = 0; i < inputs.length; i += 1) {
        parts.push(await runOperators(inputOperators[i]!, inputBatch(base, input.inputs[i] ?? [])));
      }
      const eventTimeColumns = new Set(parts.map((p) => p.metadata?.eventTimeColumn));
      const unioned: MicroBatch<Row> =
        parts.length === 1
          ? parts[0]!
          : {
              ...base,
              rows: concatRows(parts),
              metadata: eventTimeColumns.size === 1 && !eventTimeColumns.has(undefined)
                ? { eventTimeColumn: parts[0]!.metadata!.eventTimeColumn!, ...firstDelay(parts[0]!.metadata) }
                : {},
              inputBatches: parts,
            };
      return (await runOperators(operators, unioned)).rows;
    },
    /**
     * Analysis before start (Spark's UnsupportedOperationChecker): the metadata each operator declares is
     * traced through the pipeline, so every shape weir's operators reject fails at start with its code and
     * message. A user operator without a declaration (e.g. one built with rxjs `pipe`) makes the rest of the
     * pipeline opaque: its checks then run with the first batch.
     */
    validate(outputMode: OutputMode, conf: ReadonlyMap<string, string>): void {
      const steps: TracedStep[] = [];
      const trace = (ops: ReadonlyArray<OperatorFunction<any, any>>, start: AnalysisState): AnalysisState | undefined => {
        let state: AnalysisState | undefined = start;
        for (const op of ops) {
          const analyze = operatorAnalysis(op);
          if (!analyze || !state) return undefined;
          const before: AnalysisState = state;
          state = analyze(state, outputMode);
          steps.push({ op, before, after: state });
        }
        return state;
      };
      const empty: AnalysisState = { metadata: {}, aggregations: 0, statefulOperators: 0 };
      const traced = inputOperators.map((ops) => trace(ops, empty));
      if (traced.some((t) => t === undefined)) return;
      const columns = new Set(traced.map((t) => t!.metadata.eventTimeColumn));
      const unioned: AnalysisState =
        traced.length === 1
          ? traced[0]!
          : {
              metadata:
                columns.size === 1 && !columns.has(undefined) ? { eventTimeColumn: [...columns][0]!, ...firstDelay(traced[0]!.metadata) } : {},
              aggregations: traced.reduce((n, t) => n + t!.aggregations, 0),
              statefulOperators: traced.reduce((n, t) => n + t!.statefulOperators, 0),
              inputs: traced as AnalysisState[],
            };
      const final = trace(operators, unioned);
      if (final === undefined) return;
      if (outputMode === 'complete' && final.aggregations === 0) {
        throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, COMPLETE_WITHOUT_AGGREGATION, { context: { outputMode } });
      }
      const checkCorrectness =
        (conf.get('weir.sql.streaming.statefulOperator.checkCorrectness.enabled') ??
          conf.get('spark.sql.streaming.statefulOperator.checkCorrectness.enabled') ??
          'true') !== 'false';
      checkGroupsWithState(steps, outputMode, checkCorrectness);
      if (checkCorrectness && outputMode !== 'append' && final.aggregations > 0 && final.statefulOperators > 1) {
        throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, CORRECTNESS_ISSUE, { context: { outputMode } });
      }
    },
    explain(): string[] {
      const sourceLines = inputs.map(
        (_i, n) => `${[...inputOperators[n]!.map((op) => operatorName(op)).reverse(), `StreamingDataSource ${sources[n]!.description}`].join(' <- ')}`,
      );
      return [
        ...operators.map((op) => operatorName(op)).reverse(),
        ...(inputs.length > 1 ? [`Union`, ...sourceLines] : sourceLines),
      ];
    },
  };
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
  if ((source === undefined) === (inputs === undefined || inputs.length === 0) || sink === undefined) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'startQuery needs a sink and either a source or inputs', {
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
  const plan = pipelinePlan(inputs ?? [{ source: source! }], pipeline);
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
