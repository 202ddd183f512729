/**
 * The strategy of a union: a union node over the children's trees (any shape, unions of unions and operators
 * between them included).
 *
 * Invariants: streaming and batch children do not mix (Spark's message); a positional union needs the same number
 * of columns (`[NUM_COLUMNS_MISMATCH]`) and renames later children's columns to the first child's names; the
 * union's schema is the first child's.
 */
import { ErrorCodes, sparkError } from '../../../errors';
import { Messages } from '../../../plan/analysisMessages';
import { pipeNode, unionNode } from '../../../plan/PlanNode';
import { isStreamingPlan } from '../LogicalPlan';
import { mapRows, unsupported, type Strategy } from './strategy';

/** Spark's `ordinalNumber` (QueryErrorsBase): first, second, third, then 4th, 5th, ... */
function ordinalNumber(i: number): string {
  return i === 0 ? 'first' : i === 1 ? 'second' : i === 2 ? 'third' : `${i + 1}th`;
}

export const planUnion: Strategy<'union'> = (plan, options, compile) => {
  const children = plan.children.map((c) => compile(c, options));
  const streams = plan.children.map(isStreamingPlan);
  if (streams.some((s) => s) && streams.some((s) => !s)) throw unsupported(Messages.unionStreamingBatch);
  const first = children[0]!;
  if (!plan.byName) {
    for (const [i, c] of children.entries()) {
      if (c.schema.fields.length !== first.schema.fields.length) {
        throw sparkError(ErrorCodes.UNSUPPORTED_OPERATION, 'NUM_COLUMNS_MISMATCH', {
          operator: 'UNION',
          firstNumColumns: String(first.schema.fields.length),
          invalidOrdinalNum: ordinalNumber(i),
          invalidNumColumns: String(c.schema.fields.length),
        });
      }
    }
  }
  // Positional union: later children take the first child's column names.
  const target = first.schema.fieldNames();
  const nodes = children.map((c, i) => {
    const names = c.schema.fieldNames();
    if (plan.byName || i === 0 || names.every((n, j) => n === target[j])) return c.node;
    const rename = mapRows('Rename', (rows) => rows.map((r) => Object.fromEntries(names.map((n, j) => [target[j]!, r[n]]))));
    return pipeNode(c.node, [rename]);
  });
  return { node: unionNode(nodes), schema: first.schema };
};
