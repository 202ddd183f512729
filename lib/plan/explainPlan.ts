/**
 * The text of a plan tree as Spark prints a physical plan: one node per line, the root first, children indented
 * under it with `+- ` (the last child) and `:- ` (the others).
 *
 * Invariant: pure; a pipe prints one line per operator, the last operator first (each is the child of the next).
 */
import { operatorName } from './operatorDeclaration';
import type { PlanNode } from './PlanNode';

/** The nodes' texts and children (indexes into the result); the root is at index 0. */
function lines(node: PlanNode, describeSource: (source: { readonly description: string }) => string): Array<{ text: string; children: number[] }> {
  const out: Array<{ text: string; children: number[] }> = [];
  const visit = (n: PlanNode): number => {
    switch (n.kind) {
      case 'source': {
        out.push({ text: describeSource(n.source), children: [] });
        return out.length - 1;
      }
      case 'pipe': {
        // The last operator is the top; each operator's child is the one before it, the first one's the child.
        const ids: number[] = [];
        for (let i = n.operators.length - 1; i >= 0; i -= 1) {
          out.push({ text: operatorName(n.operators[i]!), children: [] });
          ids.push(out.length - 1);
        }
        for (let i = 0; i < ids.length - 1; i += 1) out[ids[i]!]!.children.push(ids[i + 1]!);
        const below = visit(n.child);
        out[ids[ids.length - 1]!]!.children.push(below);
        return ids[0]!;
      }
      case 'union': {
        out.push({ text: 'Union', children: [] });
        const id = out.length - 1;
        for (const c of n.children) out[id]!.children.push(visit(c));
        return id;
      }
      case 'join': {
        out.push({ text: n.join.name, children: [] });
        const id = out.length - 1;
        out[id]!.children.push(visit(n.left), visit(n.right));
        return id;
      }
    }
  };
  visit(node);
  return out;
}

/** The plan tree as text lines, the root first, each child under its parent with Spark's `+- ` / `:- ` prefixes. */
export function explainPlan(node: PlanNode, describeSource: (source: { readonly description: string }) => string): string[] {
  const nodes = lines(node, describeSource);
  const result: string[] = [];
  const render = (id: number, lead: string, self: string): void => {
    result.push(`${self}${nodes[id]!.text}`);
    const children = nodes[id]!.children;
    children.forEach((c, i) => {
      const last = i === children.length - 1;
      render(c, `${lead}${last ? '   ' : ':  '}`, `${lead}${last ? '+- ' : ':- '}`);
    });
  };
  render(0, '', '');
  return result;
}
