/**
 * Naming the operating system's I/O failures: the one mapping from Node's errno codes to weir's codes.
 *
 * Invariant: every failed filesystem call of weir's engine (checkpoint store, logs, lock, metadata) reaches the
 * query as a `WeirError` with an `IO_*` code from {@link errnoToErrorCode}, the absolute `path` it was working on,
 * the `operation` (`read`, `write`, `list`, `delete`, `mkdir`, `stat`, `lock`, `unlock`), the `errno` and the
 * `syscall`, and what to do in the message; the Node error is its `cause`. Errors that are not errno errors (and
 * WeirErrors) pass through unchanged.
 */
import { ErrorCodes, WeirError, type ErrorCode, type WeirErrorContext } from '../errors';

/** What weir was doing when the call failed; part of the context and the message. */
export type IoOperation = 'read' | 'write' | 'list' | 'delete' | 'mkdir' | 'stat' | 'lock' | 'unlock';

interface ErrnoKind {
  readonly code: ErrorCode;
  readonly reason: string;
  readonly advice: string;
  readonly retriable: boolean;
}

const KINDS: Readonly<Record<string, ErrnoKind>> = {
  ENOSPC: { code: ErrorCodes.IO_DISK_FULL, reason: 'no space left on device', advice: 'Free space on that filesystem, then restart the query: it resumes from its checkpoint.', retriable: true },
  EDQUOT: { code: ErrorCodes.IO_DISK_FULL, reason: 'disk quota exceeded', advice: "Free space within the user's quota (or raise it), then restart the query: it resumes from its checkpoint.", retriable: true },
  EROFS: { code: ErrorCodes.IO_READ_ONLY, reason: 'the filesystem is read-only', advice: 'Remount the filesystem read-write (or move the checkpoint to a writable one), then restart the query.', retriable: false },
  EACCES: { code: ErrorCodes.IO_PERMISSION_DENIED, reason: 'permission denied', advice: 'Give the user running the query read and write access to the folder, then restart the query.', retriable: false },
  EPERM: { code: ErrorCodes.IO_PERMISSION_DENIED, reason: 'operation not permitted', advice: 'Give the user running the query read and write access to the folder (check immutable flags too), then restart the query.', retriable: false },
  ENOENT: { code: ErrorCodes.IO_NOT_FOUND, reason: 'no such file or folder', advice: 'The file or a folder above it was removed while weir used it: check what deletes files there.', retriable: false },
  ENOTDIR: { code: ErrorCodes.IO_NOT_FOUND, reason: 'a part of the path is not a folder', advice: 'A folder on the path was replaced by a file: check what writes there.', retriable: false },
  EMFILE: { code: ErrorCodes.IO_TOO_MANY_OPEN_FILES, reason: 'too many open files in this process', advice: 'Raise the limit of open files (ulimit -n) or open fewer files, then restart the query.', retriable: true },
  ENFILE: { code: ErrorCodes.IO_TOO_MANY_OPEN_FILES, reason: 'too many open files in the system', advice: 'Raise the system limit of open files (fs.file-max) or close other files, then restart the query.', retriable: true },
  EIO: { code: ErrorCodes.IO_ERROR, reason: 'input/output error', advice: 'The device reported an error: check the disk (dmesg, SMART) before restarting the query.', retriable: false },
};

const OTHER: ErrnoKind = {
  code: ErrorCodes.IO_ERROR,
  reason: 'the filesystem call failed',
  advice: 'Check the filesystem, then restart the query.',
  retriable: false,
};

/** The errno code (`ENOSPC`, ...) of a Node filesystem error, or `undefined` when `e` is no errno error. */
export function errnoOf(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** The weir code for an errno code (`IO_ERROR` for any errno not named in the table). */
export function errnoToErrorCode(errno: string): ErrorCode {
  return (KINDS[errno] ?? OTHER).code;
}

/**
 * The named error for `cause`, a failed filesystem call during `operation` on `path` (absolute). A WeirError or
 * an error without an errno code is returned unchanged.
 *
 * @example
 * throw ioError(e, 'write', '/data/ckpt/offsets/7', { batchId: 7 });
 * // IO_DISK_FULL: Cannot write /data/ckpt/offsets/7: no space left on device (ENOSPC). Free space ...
 */
export function ioError(cause: unknown, operation: IoOperation, path: string, context: WeirErrorContext = {}): unknown {
  if (cause instanceof WeirError) return cause;
  const errno = errnoOf(cause);
  if (errno === undefined) return cause;
  const kind = KINDS[errno] ?? OTHER;
  const syscall = (cause as NodeJS.ErrnoException).syscall;
  const osPath = (cause as NodeJS.ErrnoException).path;
  return new WeirError(kind.code, `Cannot ${operation} ${path}: ${kind.reason} (${errno}). ${kind.advice}`, {
    cause,
    retriable: kind.retriable,
    context: {
      ...context,
      path,
      operation,
      errno,
      ...(syscall === undefined ? {} : { syscall }),
      ...(osPath === undefined || osPath === path ? {} : { osPath }),
    },
  });
}

/** Runs `f`, turning an errno failure into the named error of {@link ioError}. */
export async function withIoErrors<T>(
  operation: IoOperation,
  path: string,
  f: () => Promise<T>,
  context: WeirErrorContext = {},
): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw ioError(e, operation, path, context);
  }
}
