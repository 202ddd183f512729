/**
 * The expression layer never generates code: no `eval(`, `new Function`, `Function(` (or the string forms of
 * setTimeout/setInterval) anywhere in lib/sql/expr and lib/sql/functions. Comments are stripped first so that
 * documentation may name what is forbidden.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = [join(__dirname, '../../../lib/sql/expr'), join(__dirname, '../../../lib/sql/functions')];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Source without comments (string contents are kept: a forbidden call inside a string is still flagged). */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

describe('no code generation in the expression layer', () => {
  const all = ROOTS.flatMap(files);

  it('finds the sources', () => {
    expect(all.length).toBeGreaterThan(5);
  });

  it.each(all.map((f) => [f.slice(f.indexOf('lib/')), f] as const))('%s has no eval / Function constructor', (_name, file) => {
    let code = stripComments(readFileSync(file, 'utf8'));
    // The one load allowed: javaRegex.ts loads the RE2 engine (a fixed package name) on first use, to keep it
    // out of the start-up path.
    if (file.endsWith('/lib/sql/expr/javaRegex.ts')) code = code.replace("require('re2js')", 'LAZY_RE2');
    expect(code).not.toMatch(/\beval\s*\(/);
    expect(code).not.toMatch(/\bnew\s+Function\b/);
    expect(code).not.toMatch(/(^|[^.\w])Function\s*\(/);
    expect(code).not.toMatch(/\b(setTimeout|setInterval)\s*\(\s*['"`]/);
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/\bimport\s*\(/);
  });
});
