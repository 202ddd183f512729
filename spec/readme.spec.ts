/**
 * The README's TypeScript examples run as pasted: each ```ts block that imports from 'weir-streams' is run in a child
 * process against this checkout (imports of 'weir-streams', 'weir-streams/operators', ... point at the source tree).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const ENTRY: Record<string, string> = {
  'weir-streams': 'index',
  'weir-streams/operators': 'operators/index',
  'weir-streams/sources': 'sources/index',
  'weir-streams/sinks': 'sinks/index',
  'weir-streams/testing': 'lib/testing/index',
  'weir-streams/functions': 'lib/sql/functions/index',
  'weir-streams/types': 'lib/sql/types/index',
};

const blocks = [...readFileSync(path.join(ROOT, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((code) => /from 'weir-streams(\/[a-z]+)?'/.test(code));

describe('README examples', () => {
  const dir = path.join(ROOT, '.cache', 'readme');
  beforeAll(() => mkdirSync(dir, { recursive: true }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has runnable examples', () => expect(blocks.length).toBeGreaterThanOrEqual(3));

  it.each(blocks.map((code, i) => [i, code] as const))('example %d runs', (i, code) => {
    const lines = code.split('\n');
    const imports = lines.filter((l) => l.startsWith('import '));
    const body = lines.filter((l) => !l.startsWith('import '));
    const rewritten = imports.map((l) =>
      l.replace(/from '(weir-streams(?:\/[a-z]+)?)'/, (_m, spec: string) => `from '${path.join(ROOT, ENTRY[spec] ?? spec)}'`),
    );
    const file = path.join(dir, `example-${i}.ts`);
    const checkpoints = path.join(dir, `cp-${i}`);
    writeFileSync(
      file,
      `${rewritten.join('\n')}\n(async () => {\n${body.join('\n').replaceAll("'/tmp/weir-", `'${checkpoints}-`)}\n})().catch((e) => { console.error(e); process.exit(1); });\n`,
    );
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
