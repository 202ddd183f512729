/**
 * A synchronous two-input harness for join operators: the engine's batch protocol (watermark of the previous
 * batch for eviction, the one before for late events, state committed after each batch, no-data batches while
 * a stateful operator asks for one) over a memory state store, on the plan tree startQuery builds of its inputs
 * and pipeline (`pipelineTree`), evaluated synchronously (`planBatch`).
 */
import type { OperatorFunction } from 'rxjs';
import type { MicroBatch, OutputMode, Row, StatefulOperatorHandle, StateStore } from '../../../lib/contracts';
import { EngineBatchContext } from '../../../lib/engine/EngineBatchContext';
import { WatermarkTracker } from '../../../lib/engine/WatermarkTracker';
import { MemoryStateStoreProvider } from '../../../lib/state/MemoryStateStoreProvider';
import { planBatch } from '../../../lib/plan/executeBatch';
import type { PlanNode } from '../../../lib/plan/PlanNode';
import { pipelineTree } from '../../../lib/query/pipelineTree';

type Ops = ReadonlyArray<OperatorFunction<any, any>>;

/** The one batch `node` produces, synchronously (the memory store answers synchronously). */
function runSync(node: PlanNode, context: EngineBatchContext, leaf: (i: number) => MicroBatch<Row>): MicroBatch<Row> {
  const out: MicroBatch<Row>[] = [];
  let failure: unknown;
  planBatch(node, context, leaf)
    .subscribe({ next: (b) => out.push(b), error: (e: unknown) => (failure = e) })
    .unsubscribe();
  if (failure !== undefined) throw failure;
  if (out.length !== 1) throw new Error(`the plan emitted ${out.length} batches synchronously`);
  return out[0]!;
}

export class JoinHarness {
  private readonly provider = new MemoryStateStoreProvider();
  private readonly tracker = new WatermarkTracker('min');
  private previousWatermarkMs = 0;
  private batchId = 0;
  private statefulOperators: StatefulOperatorHandle[] = [];
  /** Output of every batch, in order. */
  readonly outputs: Array<{ batchId: number; watermarkMs: number; rows: Row[] }> = [];
  lastMetrics: Array<Record<string, unknown>> = [];

  private readonly tree: PlanNode;

  constructor(
    inputs: readonly Ops[],
    pipeline: Ops,
    private readonly outputMode: OutputMode = 'append',
  ) {
    this.tree = pipelineTree(
      inputs.map((ops) => ({ source: { description: 'harness' } as never, pipeline: ops })),
      pipeline,
    );
  }

  get watermarkMs(): number {
    return this.tracker.currentWatermarkMs;
  }

  /** Runs one batch with `rows[i]` for input i; returns its output. */
  batch(...rows: ReadonlyArray<readonly Row[]>): Row[] {
    const context = new EngineBatchContext('harness', '', this.batchId, this.provider);
    const base = {
      batchId: this.batchId,
      watermarkMs: this.tracker.currentWatermarkMs,
      lateEventsWatermarkMs: this.previousWatermarkMs,
      batchTimestampMs: 0,
      outputMode: this.outputMode,
      context,
    };
    const output = runSync(this.tree, context, (i) => ({ ...base, rows: rows[i] ?? [] }));
    for (const store of context.openedStores().values()) void (store as StateStore).commit();
    this.statefulOperators = [...context.statefulOperators.values()];
    this.lastMetrics = this.statefulOperators.map((op) => ({ ...(op.metrics?.() ?? {}) }));
    this.previousWatermarkMs = base.watermarkMs;
    this.tracker.update(context.eventTimeReports);
    this.outputs.push({ batchId: this.batchId, watermarkMs: base.watermarkMs, rows: [...output.rows] });
    this.batchId += 1;
    return [...output.rows];
  }

  /** Runs the no-data batches the engine would run; returns their rows. */
  advance(): Row[] {
    const out: Row[] = [];
    let guard = 0;
    while (this.statefulOperators.some((op) => op.shouldRunAnotherBatch(this.tracker.currentWatermarkMs))) {
      out.push(...this.batch());
      guard += 1;
      if (guard > 100) throw new Error('no-data batches do not stop');
    }
    return out;
  }

  /** A data batch then the no-data batches it causes. */
  step(...rows: ReadonlyArray<readonly Row[]>): Row[] {
    return [...this.batch(...rows), ...this.advance()];
  }

  /** numRowsTotal of the join (first stateful operator) after the last batch. */
  stateRows(): number {
    return Number(this.lastMetrics[0]?.numRowsTotal ?? 0);
  }
}
