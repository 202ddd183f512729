/**
 * Packs weir as `npm pack` does for the registry and installs the tarball, as a stranger would, into two fresh
 * TypeScript consumer projects: one CommonJS (`"module": "commonjs"`, `moduleResolution: node10`) and one ESM
 * (`"type": "module"`, `nodenext`). The README's code blocks and the consumer-side checks run there, against the
 * installed package, never against this source tree.
 *
 * Invariant: one pack per process (memoized; jest's global setups share it through `WEIR_PACK_CONSUMERS`); the
 * consumers' own dependencies are the versions this repository's lockfile pins, so a run is reproducible.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export type ConsumerKind = 'cjs' | 'esm';

export interface PackedConsumers {
  readonly tarball: string;
  readonly cjs: string;
  readonly esm: string;
}

const ROOT = path.join(__dirname, '..', '..');
const CACHE = path.join(ROOT, '.cache', 'pack-check');

/** The version of a package installed in this repository (its lockfile's pin). */
function pinned(name: string): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

function npm(args: readonly string[], cwd: string): string {
  try {
    return execFileSync('npm', [...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`.slice(0, 8000), { cause: e });
  }
}

/** `npm pack` of the repository (its `prepack` script builds `dist/`); returns the tarball's path. */
export function packTarball(): string {
  const out = path.join(CACHE, 'tarball');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  npm(['pack', '--silent', '--pack-destination', out], ROOT);
  const tgz = readdirSync(out).filter((f) => f.endsWith('.tgz'));
  if (tgz.length !== 1) throw new Error(`npm pack wrote ${tgz.length} tarballs into ${out}`);
  return path.join(out, tgz[0]!);
}

/** tsconfig of a consumer: strict, as a new project's `tsc --init` is. */
function tsconfig(kind: ConsumerKind): object {
  return {
    compilerOptions: {
      target: 'ES2022',
      module: kind === 'cjs' ? 'commonjs' : 'nodenext',
      moduleResolution: kind === 'cjs' ? 'node10' : 'nodenext',
      lib: ['ES2023'],
      types: ['node'],
      strict: true,
      esModuleInterop: true,
      // As `tsc --init` sets it: fast-check 4's own declarations do not resolve under node10 (pure-rand subpaths).
      skipLibCheck: true,
      outDir: 'out',
      rootDir: 'src',
      ignoreDeprecations: '6.0',
    },
    include: ['src'],
  };
}

function makeConsumer(kind: ConsumerKind, tarball: string): string {
  const dir = path.join(CACHE, kind);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: `weir-consumer-${kind}`, version: '1.0.0', private: true, ...(kind === 'esm' ? { type: 'module' } : {}) }, null, 2)}\n`,
  );
  writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig(kind), null, 2)}\n`);
  // What the README tells a user to install: the package and its peer rxjs (fast-check for the testing kit).
  npm(['install', '--no-package-lock', tarball, `rxjs@${pinned('rxjs')}`, `fast-check@${pinned('fast-check')}`], dir);
  // The consumer's own tools.
  npm(
    [
      'install',
      '--no-package-lock',
      '--save-dev',
      `typescript@${pinned('typescript')}`,
      `@types/node@${pinned('@types/node')}`,
      `jest@${pinned('jest')}`,
      `@types/jest@${pinned('@types/jest')}`,
      `@swc/jest@${pinned('@swc/jest')}`,
      `@swc/core@${pinned('@swc/core')}`,
    ],
    dir,
  );
  return dir;
}

let memo: PackedConsumers | undefined;

/** Packs once and builds both consumers (about a minute); later calls in the process, or in jest workers, reuse them. */
export function ensurePackedConsumers(): PackedConsumers {
  if (memo) return memo;
  const shared = process.env.WEIR_PACK_CONSUMERS;
  if (shared) {
    const parsed = JSON.parse(shared) as PackedConsumers;
    if (existsSync(parsed.tarball) && existsSync(parsed.cjs) && existsSync(parsed.esm)) return (memo = parsed);
  }
  const tarball = packTarball();
  memo = { tarball, cjs: makeConsumer('cjs', tarball), esm: makeConsumer('esm', tarball) };
  process.env.WEIR_PACK_CONSUMERS = JSON.stringify(memo);
  return memo;
}
