/**
 * What `npm pack` ships: the built package (every entry point's JavaScript and types), LICENSE and README; no
 * source maps without their sources, no specs, benchmarks or tools.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ensurePackedConsumers } from '../../tools/pack-check/consumers';

const ROOT = path.join(__dirname, '..', '..');

describe('the packed tarball', () => {
  const { tarball } = ensurePackedConsumers();
  const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));

  it('ships every export target, LICENSE and README', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
    const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t))).map((t) => t.replace(/^\.\//, ''));
    expect(targets.length).toBeGreaterThan(10);
    for (const t of targets) expect(files).toContain(t);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
  });

  it('ships no source maps, specs, benchmarks or tools', () => {
    expect(files.filter((f) => f.endsWith('.map') || /^(spec|bench|tools|demo|\.ci)\//.test(f) || f.startsWith('dist/spec/'))).toEqual([]);
  });
});
