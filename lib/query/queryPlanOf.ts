/**
 * The engine's `QueryPlan` of a plan tree: the tree's sources (one Source per leaf, made for this plan), its
 * execution per batch, its analysis and its text.
 *
 * Invariants: a provider leaf makes a new Source for every plan built (every query run, every batch DataFrame run),
 * so two plans never share one; the engine reads the leaves' offsets in left-to-right order, and `execute` hands
 * each leaf its rows in that order; checks deferred by the analysis are logged once at start.
 */
import type { MicroBatch, Row, Source } from '../contracts';
import type { BatchInput, QueryPlan } from '../engine/QueryPlan';
import { isRowChunks, type SourceRows } from '../engine/readRows';
import { chunksPlan, withLazyRows } from '../../operators/internal/lazyRows';
import { analyzePlan } from '../plan/analyzePlan';
import { executeBatch } from '../plan/executeBatch';
import { explainPlan } from '../plan/explainPlan';
import { planSources, type PlanNode } from '../plan/PlanNode';
import { sourceForQuery, type SourceProvider } from './sourceProvider';

/** The first batch of a leaf: its rows, or a batch whose rows are the chunks' rows, made when visited. */
function leafBatch(base: Omit<MicroBatch<Row>, 'rows'>, rows: SourceRows): MicroBatch<Row> {
  if (!isRowChunks(rows)) return { ...base, rows };
  return withLazyRows<Row>({ ...base, rows: [] }, {}, chunksPlan(rows));
}

/** The QueryPlan of `node`; `logger` gets the checks the analysis could not make before start. */
export function queryPlanOf(node: PlanNode, logger?: { warn(message: string): void }): QueryPlan {
  const leaves = planSources(node);
  const sources = leaves.map((leaf) => sourceForQuery(leaf.source as Source<Row> | SourceProvider<Row>));
  const byLeaf = new Map(leaves.map((leaf, i) => [leaf.source, sources[i]!] as const));
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
      const out = await executeBatch(node, input.context, (i) => leafBatch(base, input.inputs[i] ?? []));
      return out.rows;
    },
    validate(outputMode, conf): void {
      const { deferred } = analyzePlan(node, outputMode, conf);
      for (const line of deferred) logger?.warn(`weir: ${line}`);
    },
    explain(): string[] {
      return explainPlan(node, (source) => `StreamingDataSource ${(byLeaf.get(source) ?? source).description}`);
    },
  };
}
