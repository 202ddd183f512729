/**
 * What the engine executes: sources, and a function from one batch's input rows to the rows for the sink.
 *
 * Invariant: `execute` is called once per executed batch (data or no-data) with exactly the rows of the logged
 * offset ranges; the RxJS face and the DataFrame face both compile to this, so there is one engine.
 */
import type { BatchContext, OutputMode, Row, Source } from '../contracts';
import type { SourceRows } from './readRows';

/** The input of one batch, one row array (or chunks, see Source.readChunks) per source, in source order. */
export interface BatchInput {
  readonly batchId: number;
  readonly watermarkMs: number;
  readonly lateEventsWatermarkMs: number;
  readonly batchTimestampMs: number;
  readonly outputMode: OutputMode;
  readonly context: BatchContext;
  readonly inputs: ReadonlyArray<SourceRows>;
}

/** An executable query plan. */
export interface QueryPlan {
  readonly sources: readonly Source<Row>[];
  /** Runs the operators over one batch and returns the rows to hand to the sink. */
  execute(input: BatchInput): Promise<readonly Row[]>;
  /** The plan text shown by `explain()`: one line per node, the root first, children indented under it as Spark prints a tree. */
  explain(extended: boolean): string[];
  /** Validates the plan against an output mode before start (analysis errors); rejects with the error. */
  validate?(outputMode: OutputMode, conf: ReadonlyMap<string, string>): void | Promise<void>;
}
