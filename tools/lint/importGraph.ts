/**
 * The import graph of weir's product files, as TypeScript resolves it and as Node loads it.
 *
 * Invariant: an edge is `runtime` when the file's CommonJS output (`ts.transpileModule`, which drops `import type`
 * and imports used only as types, exactly as the build does) still `require`s the target; every other import is
 * `typeOnly`. Only relative imports between files of the scanned tree are edges (packages are not).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly runtime: boolean;
}

/** The `.ts` files under `roots` (files or folders, relative to `base`), as base-relative paths with `/`. */
export function productFiles(base: string, roots: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(base, rel);
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) walk(path.posix.join(rel, name));
    } else if (rel.endsWith('.ts') && !rel.endsWith('.d.ts')) {
      out.push(rel);
    }
  };
  for (const r of roots) if (existsSync(path.join(base, r))) walk(r);
  return out;
}

function resolveRelative(base: string, from: string, spec: string): string | undefined {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [`${target}.ts`, `${target}/index.ts`, target]) {
    if (candidate.endsWith('.ts') && existsSync(path.join(base, candidate))) return candidate;
  }
  return undefined;
}

/** Every relative import of `files`, marked runtime or type-only. */
export function importEdges(base: string, files: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const known = new Set(files);
  for (const file of files) {
    const text = readFileSync(path.join(base, file), 'utf8');
    const all = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName).filter((s) => s.startsWith('.'));
    const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }, fileName: file }).outputText;
    const runtime = new Set([...js.matchAll(/require\("(\.[^"]*)"\)/g)].map((m) => m[1]!));
    const seen = new Set<string>();
    for (const spec of all) {
      const to = resolveRelative(base, file, spec);
      if (to === undefined || !known.has(to)) continue;
      const key = `${to}|${runtime.has(spec)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ from: file, to, runtime: runtime.has(spec) });
    }
  }
  return edges;
}

/** The strongly connected components of more than one file (or a file importing itself): the import cycles. */
export function cycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) (next.get(e.from) ?? next.set(e.from, []).get(e.from)!).push(e.to);
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (next.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!idx.has(v)) visit(v);
  return found;
}
