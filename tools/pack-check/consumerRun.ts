/**
 * Type-checks and runs code in a consumer project made by `ensurePackedConsumers`: `tsc` of the project's own
 * strict tsconfig (one run for a set of files, diagnostics attributed to each), then `node` on the emitted file.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Writes `files` (name → source) under `<dir>/src/<group>/`, compiles the group, returns the diagnostics per file. */
export function typeCheck(dir: string, group: string, files: Readonly<Record<string, string>>, tsconfig = 'tsconfig.json'): Map<string, string[]> {
  const src = path.join(dir, 'src', group);
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  for (const [name, code] of Object.entries(files)) writeFileSync(path.join(src, `${name}.ts`), code);
  const groupConfig = path.join(dir, `tsconfig.${group}.json`);
  writeFileSync(groupConfig, JSON.stringify({ extends: `./${tsconfig}`, include: [`src/${group}`] }));
  const run = spawnSync(path.join(dir, 'node_modules', '.bin', 'tsc'), ['-p', groupConfig, '--pretty', 'false'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const byFile = new Map<string, string[]>(Object.keys(files).map((n) => [n, []]));
  const other: string[] = [];
  for (const line of `${run.stdout}${run.stderr}`.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^src\/[^/]+\/([^/(]+)\.ts\(/.exec(line);
    const list = m ? byFile.get(m[1]!) : undefined;
    (list ?? other).push(line);
  }
  if (run.status !== 0 && [...byFile.values()].every((l) => l.length === 0)) {
    throw new Error(`tsc failed in ${dir} without a diagnostic of a file: ${other.join('\n') || run.error?.message}`);
  }
  return byFile;
}

/** Runs the JavaScript that `typeCheck` emitted for `name`. */
export function runEmitted(dir: string, group: string, name: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 90_000): RunResult {
  const run = spawnSync(process.execPath, [path.join('out', group, `${name}.js`)], {
    cwd: dir,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr + (run.error ? String(run.error) : '') };
}
