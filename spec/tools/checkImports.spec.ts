/**
 * The import-layer lint (tools/lint/checkImports.ts): the real tree passes, and the check fails on a planted upward
 * import, a planted runtime cycle and an unlayered file, while a type-only cycle does not count as a runtime one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkImports } from '../../tools/lint/checkImports';
import type { Layer } from '../../tools/lint/layers';

const ROOT = path.join(__dirname, '..', '..');

const LAYERS: Layer[] = [
  { name: 'core', paths: ['lib/core/'], mayImport: [] },
  { name: 'top', paths: ['lib/top/', 'index.ts'], mayImport: ['core'] },
];

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'weir-imports-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

describe('npm run lint:imports', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const planted = (files: Record<string, string>) => {
    const d = tree({ 'index.ts': "export * from './lib/top/a';\n", ...files });
    dirs.push(d);
    return checkImports(d, LAYERS);
  };

  it('passes on the real tree: no upward import, no unlayered file, no runtime cycle', () => {
    const r = checkImports(ROOT);
    expect(r.files).toBeGreaterThan(200);
    expect({ upward: r.upward, unlayered: r.unlayered, cycles: r.cycles }).toEqual({ upward: [], unlayered: [], cycles: [] });
  });

  it('fails on a planted upward import, runtime or type-only', () => {
    const r = planted({
      'lib/top/a.ts': "export const a = 1;\n",
      'lib/core/b.ts': "import { a } from '../top/a';\nimport type { T } from '../top/t';\nexport const b: T = a;\n",
      'lib/top/t.ts': 'export type T = number;\n',
    });
    expect(r.upward).toEqual(['lib/core/b.ts (core) -> lib/top/a.ts (top)', 'lib/core/b.ts (core) -> lib/top/t.ts (top) [type-only]']);
  });

  it('fails on a runtime cycle but not on a cycle through type-only imports', () => {
    const r = planted({
      'lib/top/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'lib/top/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
      'lib/top/c.ts': "import type { D } from './d';\nexport type C = D;\nexport const c = 1;\n",
      'lib/top/d.ts': "import { c } from './c';\nexport type D = typeof c;\n",
    });
    expect(r.cycles).toEqual([['lib/top/a.ts', 'lib/top/b.ts']]);
  });

  it('fails on a file no layer claims', () => {
    expect(planted({ 'lib/top/a.ts': 'export const a = 1;\n', 'lib/elsewhere/x.ts': 'export const x = 1;\n' }).unlayered).toEqual(['lib/elsewhere/x.ts']);
  });

  it('the real table: nothing below the connectors imports a connector folder, and a connector folder must be listed', () => {
    const d = tree({
      'index.ts': "export { registerDataSource } from './connectors/registry';\n",
      'connectors/registry.ts': "import { kafkaProvider } from './kafka/kafkaProvider';\nexport const registerDataSource = () => kafkaProvider;\n",
      'connectors/kafka/kafkaProvider.ts': "import { CaseInsensitiveStringMap } from '../../lib/connector/CaseInsensitiveStringMap';\nexport const kafkaProvider = new CaseInsensitiveStringMap();\n",
      'lib/connector/CaseInsensitiveStringMap.ts': 'export class CaseInsensitiveStringMap {}\n',
      'lib/formats/csv.ts': "import { kafkaProvider } from '../../connectors/kafka/kafkaProvider';\nexport const csv = kafkaProvider;\n",
      'lib/connector/provider.ts': "import type { kafkaProvider } from '../../connectors/kafka/kafkaProvider';\nexport type P = typeof kafkaProvider;\n",
      'connectors/jdbc/jdbcProvider.ts': 'export const jdbc = 1;\n',
    });
    dirs.push(d);
    const r = checkImports(d);
    expect([...r.upward].sort()).toEqual([
      'lib/connector/provider.ts (connector) -> connectors/kafka/kafkaProvider.ts (connectors) [type-only]',
      'lib/formats/csv.ts (formats) -> connectors/kafka/kafkaProvider.ts (connectors)',
    ]);
    expect(r.unlayered).toEqual(['connectors/jdbc/jdbcProvider.ts']);
  });
});
