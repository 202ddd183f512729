/**
 * What every crash test shares: a child process running a TypeScript script (through @swc-node/register), killed
 * with SIGKILL a given time after it prints `started`, and a seeded random number generator so a run is
 * reproducible from its seed.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

const TSCONFIG = path.join(__dirname, '..', '..', 'tsconfig.json');

/** Node's warnings (ExperimentalWarning and its `--trace-warnings` hint) and blank lines removed. */
function withoutNodeWarnings(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !l.includes('ExperimentalWarning') && !l.includes('--trace-warnings') && l.trim() !== '')
    .join('\n');
}

/**
 * Runs `script` with `env` added; with `killAfterMs`, SIGKILLs it that long after its first `started` on stdout
 * (so the kill lands while the query runs). Resolves when it exits.
 */
export function runChild(
  script: string,
  env: Record<string, string>,
  killAfterMs?: number,
  options: { quietNodeWarnings?: boolean } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', script], {
      env: { ...process.env, ...env, SWC_NODE_PROJECT: TSCONFIG },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.on('data', (d) => {
      if (killAfterMs !== undefined && timer === undefined && String(d).includes('started')) {
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr: options.quietNodeWarnings ? withoutNodeWarnings(stderr) : stderr });
    });
  });
}

/** A seeded generator of numbers in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}
