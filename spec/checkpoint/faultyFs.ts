/**
 * A fault-injecting wrapper around `node:fs`'s promise API, for the I/O failures a test cannot cause for real:
 * CI runs as root, where a read-only folder (chmod) still takes writes, and a full or failing disk cannot be made
 * on demand. Calls on paths under `under` fail with the errno of the first matching fault; everything else runs
 * for real. The calls are the ones weir's checkpoint code makes (fs.promises and the FileHandle of `open`).
 *
 * Invariant: `restore()` puts every original function back; faults never touch paths outside their `under`.
 */
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** The calls a fault can target; `write` is a FileHandle's writeFile/write/sync after a successful open. */
export type FsCall = 'openForWrite' | 'write' | 'readFile' | 'readdir' | 'rename' | 'link' | 'unlink' | 'mkdir' | 'rm' | 'rmdir' | 'stat';

/** Every call that changes the filesystem: what a read-only mount refuses. */
export const MUTATING_CALLS: readonly FsCall[] = ['openForWrite', 'rename', 'link', 'unlink', 'mkdir', 'rm', 'rmdir'];

export interface Fault {
  /** The errno code the call fails with (ENOSPC, EROFS, EACCES, EIO, EMFILE, ...). */
  readonly errno: string;
  /** Only paths inside this folder (or the folder itself) fail. */
  readonly under: string;
  /** The calls that fail (default {@link MUTATING_CALLS}). */
  readonly calls?: readonly FsCall[];
}

export interface FaultyFs {
  /** Adds a fault (in effect at once); returns a function removing it. */
  add(fault: Fault): () => void;
  /** Removes every fault (the wrapper stays in place). */
  clear(): void;
  /** How many calls failed so far. */
  readonly failures: number;
  /** Puts the real functions back. */
  restore(): void;
}

function errnoError(errno: string, syscall: string, file: string): NodeJS.ErrnoException {
  const e = new Error(`${errno}: injected fault, ${syscall} '${file}'`) as NodeJS.ErrnoException;
  e.code = errno;
  e.syscall = syscall;
  e.path = file;
  return e;
}

function inside(file: string, folder: string): boolean {
  const relative = path.relative(path.resolve(folder), path.resolve(file));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Installs the wrapper. Call `restore()` in afterEach. */
export function injectFsFaults(): FaultyFs {
  const faults = new Set<Fault>();
  let failures = 0;
  const match = (call: FsCall, file: unknown): Fault | undefined => {
    if (typeof file !== 'string' && !(file instanceof URL) && !Buffer.isBuffer(file)) return undefined;
    const p = String(file);
    for (const f of faults) if ((f.calls ?? MUTATING_CALLS).includes(call) && inside(p, f.under)) return f;
    return undefined;
  };
  const fail = (fault: Fault, syscall: string, file: unknown): never => {
    failures += 1;
    throw errnoError(fault.errno, syscall, String(file));
  };
  type AnyFn = (...args: unknown[]) => Promise<unknown>;
  const target = fsp as unknown as Record<string, AnyFn>;
  const originals = new Map<string, AnyFn>();
  const wrap = (name: string, call: FsCall, files: (args: unknown[]) => unknown[] = (a) => [a[0]]) => {
    const original = target[name]!;
    originals.set(name, original);
    target[name] = async (...args: unknown[]) => {
      for (const file of files(args)) {
        const fault = match(call, file);
        if (fault) fail(fault, name, file);
      }
      return original.apply(fsp, args);
    };
  };
  wrap('readFile', 'readFile');
  wrap('readdir', 'readdir');
  wrap('rename', 'rename', (a) => [a[0], a[1]]);
  wrap('link', 'link', (a) => [a[0], a[1]]);
  wrap('unlink', 'unlink');
  // A read-only filesystem still answers mkdir -p of an existing folder (EEXIST comes before EROFS).
  wrap('mkdir', 'mkdir', (a) => (existsSync(String(a[0])) ? [] : [a[0]]));
  wrap('rm', 'rm');
  wrap('rmdir', 'rmdir');
  wrap('stat', 'stat');
  const originalOpen = target.open!;
  originals.set('open', originalOpen);
  target.open = async (...args: unknown[]) => {
    const [file, flags] = args;
    const writing = typeof flags === 'string' ? /[wa+]/.test(flags) : typeof flags === 'number' && (flags & 3) !== 0;
    if (writing) {
      const fault = match('openForWrite', file);
      if (fault) fail(fault, 'open', file);
    }
    const handle = (await originalOpen.apply(fsp, args)) as Record<string, AnyFn>;
    const writeFault = () => (writing ? match('write', file) : undefined);
    for (const method of ['writeFile', 'write', 'sync']) {
      const real = handle[method]!;
      handle[method] = async (...a: unknown[]) => {
        const fault = writeFault();
        if (fault) fail(fault, method === 'sync' ? 'fsync' : 'write', file);
        return real.apply(handle, a);
      };
    }
    return handle;
  };
  return {
    add(fault) {
      faults.add(fault);
      return () => faults.delete(fault);
    },
    clear() {
      faults.clear();
    },
    get failures() {
      return failures;
    },
    restore() {
      for (const [name, original] of originals) target[name] = original;
      faults.clear();
    },
  };
}
