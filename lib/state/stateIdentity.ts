/**
 * The state database's identity and what its folder holds before LevelDB opens it.
 *
 * Invariant: once a state database has been created, `<statePath>/leveldb-identity` holds its random id, and the
 * database holds the same id under {@link IDENTITY_KEY}; both are durable before the first state commit. While
 * the file exists, or while the LevelDB folder holds table or log files, the database is opened with
 * `createIfMissing: false`: LevelDB never makes a new, empty database where state exists (with CURRENT deleted,
 * it would start one that replays the newest log file and silently drops every table file), and a database
 * whose id differs from the file's (another query's folder copied in) is refused.
 *
 * Node only: the file system is loaded lazily, and `inspectStateFolder` reports nothing where there is none (a
 * browser bundle, where `level` is IndexedDB).
 */
import { stateCorrupt, REBUILD_HINT } from './stateErrors';

/** The LevelDB key of the identity: sorts with the format key, before every operator. */
export const IDENTITY_KEY = Uint8Array.from([0x00, ...new TextEncoder().encode('weir-state-identity')]);

/** The file beside the LevelDB folder that records the identity. */
export const IDENTITY_FILE = 'leveldb-identity';

/** What the state folder holds before the open. */
export interface StateFolder {
  /** The id in `leveldb-identity`, undefined when there is no such file (a new state, or weir before 0.x). */
  readonly identity: string | undefined;
  /** LevelDB's CURRENT file exists. */
  readonly hasCurrent: boolean;
  /** LevelDB files found in the folder (table, log, MANIFEST), CURRENT excluded. */
  readonly levelFiles: readonly string[];
  /** The identity file's path, or undefined without a file system. */
  readonly identityPath: string | undefined;
}

type Fs = typeof import('node:fs/promises');

function fileSystem(): Fs | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: not in browser bundles
    return require('node:fs/promises') as Fs;
  } catch {
    return undefined;
  }
}

const LEVEL_FILE = /^(?:\d+\.(?:log|ldb|sst)|MANIFEST-\d+)$/;

function parentOf(location: string): string {
  return location.replace(/[\\/]+[^\\/]+[\\/]*$/, '');
}

function separatorOf(location: string): string {
  return location.includes('\\') && !location.includes('/') ? '\\' : '/';
}

/** Reads the identity file and lists the LevelDB folder `location` (`<statePath>/leveldb`). */
export async function inspectStateFolder(location: string): Promise<StateFolder> {
  const fs = fileSystem();
  if (fs === undefined) return { identity: undefined, hasCurrent: false, levelFiles: [], identityPath: undefined };
  const identityPath = `${parentOf(location)}${separatorOf(location)}${IDENTITY_FILE}`;
  let identity: string | undefined;
  try {
    const text = await fs.readFile(identityPath, 'utf8');
    const parsed = JSON.parse(text) as { id?: unknown };
    if (typeof parsed?.id !== 'string' || parsed.id.length === 0) throw new Error('no "id" string');
    identity = parsed.id;
  } catch (e) {
    if ((e as { code?: string })?.code !== 'ENOENT') {
      throw stateCorrupt(
        `The state identity file ${identityPath} cannot be read: ${(e as Error)?.message ?? String(e)}. ${REBUILD_HINT}`,
        { path: location, file: identityPath, reason: 'identity-unreadable' },
        e,
      );
    }
  }
  let names: string[] = [];
  try {
    names = await fs.readdir(location);
  } catch (e) {
    if ((e as { code?: string })?.code !== 'ENOENT') throw e;
  }
  return {
    identity,
    hasCurrent: names.includes('CURRENT'),
    levelFiles: names.filter((n) => LEVEL_FILE.test(n)).sort(),
    identityPath,
  };
}

/**
 * Refuses to open a state database that LevelDB would silently re-create: the identity file says one was made,
 * or table/log files are there, but CURRENT is missing (or the folder is gone).
 */
export function assertOpenable(location: string, folder: StateFolder): void {
  if (folder.hasCurrent) return;
  if (folder.identity === undefined && folder.levelFiles.length === 0) return;
  const what =
    folder.levelFiles.length === 0
      ? `the folder holds no LevelDB database although ${folder.identityPath} records that state was created there`
      : `its CURRENT file is missing (the folder still holds ${folder.levelFiles.join(', ')}); LevelDB would start ` +
        'a new database and drop the state in its table files';
  throw stateCorrupt(`State database ${location} is damaged: ${what}. ${REBUILD_HINT}`, {
    path: location,
    file: `${location}${separatorOf(location)}CURRENT`,
    reason: 'current-missing',
  });
}

/** Writes the identity file durably: temporary file, fsync, rename, fsync of the folder. */
export async function writeIdentityFile(identityPath: string, id: string): Promise<void> {
  const fs = fileSystem();
  if (fs === undefined) return;
  const temporary = `${identityPath}.tmp`;
  const handle = await fs.open(temporary, 'w');
  try {
    await handle.writeFile(`${JSON.stringify({ id })}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, identityPath);
  const folder = await fs.open(parentOf(identityPath), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
