/**
 * `npm run lint:imports`: fails when a product file imports a layer above its own (tools/lint/layers.ts), when a
 * file belongs to no layer, or when the runtime imports form a cycle. Prints each violation with its files.
 *
 *   node -r @swc-node/register tools/lint/checkImports.ts [base]      # base: the project root (default: cwd)
 */
import { cycles, importEdges, productFiles } from './importGraph';
import { LAYERS, TYPE_ONLY_EXCEPTIONS, layerOf, type Layer } from './layers';

export const PRODUCT_ROOTS = ['index.ts', 'lib', 'operators', 'sources', 'sinks', 'connectors'];

export interface ImportReport {
  readonly files: number;
  readonly edges: number;
  readonly upward: string[];
  readonly unlayered: string[];
  readonly cycles: string[][];
}

export function checkImports(base: string, layers: readonly Layer[] = LAYERS): ImportReport {
  const files = productFiles(base, PRODUCT_ROOTS);
  const edges = importEdges(base, files);
  const unlayered = files.filter((f) => layerOf(f, layers) === undefined);
  const upward: string[] = [];
  for (const e of edges) {
    const a = layerOf(e.from, layers);
    const b = layerOf(e.to, layers);
    if (!a || !b || a === b || a.mayImport.includes(b.name)) continue;
    if (!e.runtime && TYPE_ONLY_EXCEPTIONS.some((x) => x.from === e.from && x.to === e.to)) continue;
    upward.push(`${e.from} (${a.name}) -> ${e.to} (${b.name})${e.runtime ? '' : ' [type-only]'}`);
  }
  return { files: files.length, edges: edges.length, upward, unlayered, cycles: cycles(edges.filter((e) => e.runtime)) };
}

if (require.main === module) {
  const report = checkImports(process.argv[2] ?? process.cwd());
  for (const u of report.upward) console.error(`upward import: ${u}`);
  for (const f of report.unlayered) console.error(`no layer claims ${f} (tools/lint/layers.ts)`);
  for (const c of report.cycles) console.error(`runtime import cycle: ${c.join(' <-> ')}`);
  const bad = report.upward.length + report.unlayered.length + report.cycles.length;
  console.error(`${report.files} files, ${report.edges} imports: ${report.upward.length} upward, ${report.unlayered.length} unlayered, ${report.cycles.length} runtime cycles`);
  process.exit(bad === 0 ? 0 : 1);
}
