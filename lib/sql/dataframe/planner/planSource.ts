/**
 * The strategies of the leaves: a streaming relation (its provider makes each query's source; rows normalized to
 * the schema unless the source already gives its types) and a local relation (a replayable static source).
 *
 * Invariant: a leaf holds a provider or a static source, never a shared Source object.
 */
import { Observable } from 'rxjs';
import type { Row, Source } from '../../../contracts';
import { pipeNode, sourceNode } from '../../../plan/PlanNode';
import { StructType, normalizeRow } from '../../../values/types';
import { mapRows, type Strategy } from './strategy';

/**
 * A replayable source over rows fixed when the batch DataFrame runs (offset 0 → 1). `rows` may return a Promise:
 * a file relation reads its files when an action runs, as Spark's do.
 */
export function staticSource(name: string, rows: () => readonly Row[] | Promise<readonly Row[]>): Source<Row> {
  return {
    description: `LocalRelation[${name}]`,
    open: async () => undefined,
    initialOffset: async () => 0,
    latestOffset: async (start) => (start === 0 ? 1 : start),
    read: (start, end) =>
      new Observable<Row>((s) => {
        if (start !== 0 || end !== 1) return s.complete();
        const emit = (all: readonly Row[]) => {
          for (const r of all) {
            if (s.closed) return;
            s.next(r);
          }
          s.complete();
        };
        const got = rows();
        if (got instanceof Promise) got.then(emit, (e: unknown) => s.error(e));
        else emit(got);
      }),
    commit: async () => undefined,
    stop: async () => undefined,
  };
}

export const planStreamingSource: Strategy<'streamingSource'> = (plan) => {
  const schema = plan.schema ?? new StructType();
  const ops = plan.schema && plan.normalize !== false ? [mapRows(`Normalize ${plan.name}`, (rows) => rows.map((r) => normalizeRow(r, schema)))] : [];
  // The provider, not a source: each query (or batch run) built from the compiled plan makes its own source.
  return { node: pipeNode(sourceNode(plan.provider), ops), schema };
};

export const planLocalRelation: Strategy<'localRelation'> = (plan) => ({
  node: sourceNode(staticSource(plan.name, plan.rows)),
  schema: plan.schema,
});
