/**
 * A consumer's own jest writes and reads Parquet through the installed package with the jest config that
 * docs/using-weir.md gives (its ```js block starting `// jest.config.js`): hyparquet ships ES modules only, and
 * jest's module system cannot `require` them without that transform.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ensurePackedConsumers } from '../../tools/pack-check/consumers';

const ROOT = path.join(__dirname, '..', '..');

function documentedJestConfig(): string {
  const text = readFileSync(path.join(ROOT, 'docs', 'using-weir.md'), 'utf8');
  const m = /^```js\n(\/\/ jest\.config\.js\n[\s\S]*?)^```$/m.exec(text);
  if (!m) throw new Error('docs/using-weir.md has no ```js block starting with // jest.config.js');
  return m[1]!;
}

const TEST = `
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'weir-streams';

test('writes and reads Parquet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-consumer-parquet-'));
  const spark = Session.builder().getOrCreate();
  try {
    const df = spark.createDataFrame([{ k: 'a', n: 1 }, { k: 'b', n: 2 }], 'k STRING, n INT');
    await df.write.mode('overwrite').parquet(join(dir, 'out'));
    const back = await spark.read.parquet(join(dir, 'out')).orderBy('k').collect();
    expect(back).toEqual([{ k: 'a', n: 1 }, { k: 'b', n: 2 }]);
  } finally {
    await spark.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
`;

describe("a consumer's jest", () => {
  const { cjs } = ensurePackedConsumers();

  it('reads and writes Parquet with the documented config', () => {
    writeFileSync(path.join(cjs, 'jest.config.js'), documentedJestConfig());
    writeFileSync(path.join(cjs, 'parquet.test.ts'), TEST);
    try {
      const run = spawnSync(path.join(cjs, 'node_modules', '.bin', 'jest'), ['--ci', '--rootDir', cjs, 'parquet.test.ts'], {
        cwd: cjs,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect({ status: run.status, out: run.status === 0 ? '' : `${run.stdout}${run.stderr}` }).toEqual({ status: 0, out: '' });
    } finally {
      rmSync(path.join(cjs, 'parquet.test.ts'), { force: true });
    }
  }, 150_000);

  it('cannot without it (the config is what makes it work)', () => {
    writeFileSync(path.join(cjs, 'jest.config.js'), "module.exports = { testEnvironment: 'node', transform: { '^.+\\\\.ts$': '@swc/jest' } };\n");
    writeFileSync(path.join(cjs, 'parquet.test.ts'), TEST);
    try {
      const run = spawnSync(path.join(cjs, 'node_modules', '.bin', 'jest'), ['--ci', '--rootDir', cjs, 'parquet.test.ts'], { cwd: cjs, encoding: 'utf8', timeout: 120_000 });
      expect(run.status).not.toBe(0);
    } finally {
      rmSync(path.join(cjs, 'parquet.test.ts'), { force: true });
      rmSync(path.join(cjs, 'jest.config.js'), { force: true });
    }
  }, 150_000);
});
