/**
 * Opens {@link LevelStateStore}s on ONE LevelDB at `<statePath>/leveldb`, shared by all operators of a query.
 *
 * Invariant: `open(operatorId, batchId)` yields a store showing committed version `batchId - 1`. If the
 * operator's marker says `batchId` (the batch committed its state, then the process died before `commits/N`),
 * the undo record of `batchId` is applied first, in one atomic batch that also sets the marker back; any other
 * marker is a version mismatch. The in-memory state of an operator (version, row count, read cache) is reused
 * for the next batch only when it continues the version this provider itself committed ("version continuity");
 * a rollback, a failed commit or `close()` drops it, and the next open re-reads the marker from disk.
 *
 * Durability: `sync: true` by default (issue #16 item 7). The engine writes `commits/N` (fsynced) after the state
 * commit of N resolves, so the state must be on disk by then: with `sync: true` LevelDB fdatasyncs its log in
 * the commit's `write()`, and a power loss or OS crash cannot leave `commits/N` durable and state N lost.
 * `sync: false` resolves once the batch is in the OS page cache (write(2)): it survives any process crash
 * (kill -9, OOM) but an OS crash or power loss can lose the unsynced tail, leaving the state behind the
 * checkpoint; the engine then re-runs the missing batches from the offsets log (lib/engine/stateReplay.ts) when
 * they are retained. Caveat: LevelDB 1.20 fsyncs the folder only for MANIFEST files, so a log file created since
 * the last MANIFEST sync relies on the file system making a synced file's directory entry durable (ext4 and
 * xfs journal it with the file). Measured on the 2-core dev VM (median commit, batches of get+put on every
 * key): 100 keys 0.5–0.7 ms without sync, 0.9 ms with; 1,000 keys 6–8 ms without, 12–18 ms with.
 *
 * Damage (issue #16 items 4, 8), each a STATE_CORRUPT with the path or file: stateIdentity (never a new database
 * where state exists, never another query's), levelRecoveryLog (log records LevelDB dropped at recovery), and the
 * check of each operator's entries against the count and digest in its marker at its first open (entryDigest,
 * option `verifyOnOpen`). docs/errors.md, "Damaged state", has what to do.
 */
import type { Level } from 'level';
import type { StateStoreProvider } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import {
  dataKey,
  decodeMarker,
  decodeUndo,
  encodeMarker,
  FORMAT_KEY,
  FORMAT_VERSION,
  NO_VERSION,
  operatorKeys,
  type OperatorKeys,
  type VersionMarker,
} from './levelLayout';
import { entryHash, formatDigest } from './entryDigest';
import { LevelStateStore, type LevelOperatorState, type LevelStateStoreHost } from './LevelStateStore';
import { assertOpenArguments, planStateOpen } from './planStateOpen';
import { MemoSlot } from './MemoSlot';
import { ReadCache } from './ReadCache';
import { DAMAGE_KEY, droppedAtRecovery } from './levelRecoveryLog';
import { assertOpenable, IDENTITY_KEY, inspectStateFolder, type StateFolder, writeIdentityFile } from './stateIdentity';
import { levelErrorCode, REBUILD_HINT, stateCorrupt, stateStoreIo, stateVersionMismatch } from './stateErrors';
import { plainBytes } from './valueCodec';

/** Options of {@link LevelStateStoreProvider}. */
export interface LevelStateStoreProviderOptions {
  /**
   * fsync every commit batch. `true` (default) survives an OS crash or power loss, for one fsync per operator per
   * batch; `false` survives any process crash only (see the file comment).
   */
  readonly sync?: boolean;
  /** Read-cache bound per operator, in entries, kept across batches; 0 disables the cache. Default 100,000. */
  readonly cacheMaxEntries?: number;
  /**
   * Scan an operator's entries when the provider first opens it and check their count and digest against the
   * version marker (see entryDigest): STATE_CORRUPT when LevelDB lost or changed committed entries. Default true;
   * the scan reads the operator's whole state once per query start.
   */
  readonly verifyOnOpen?: boolean;
}

type Database = Level<Uint8Array, Uint8Array>;

/**
 * A {@link StateStoreProvider} on LevelDB (`level`, i.e. classic-level in Node).
 *
 * @example
 * ```ts
 * startQuery({ ..., stateStoreProvider: (statePath) => new LevelStateStoreProvider(statePath) });
 * ```
 */
export class LevelStateStoreProvider implements StateStoreProvider {
  /** The LevelDB folder: `<statePath>/leveldb`. */
  readonly location: string;
  /** Whether each commit is fsynced (the `sync` option). */
  readonly sync: boolean;
  private readonly cacheMaxEntries: number;
  private readonly verifyOnOpen: boolean;
  private db: Database | undefined;
  private opening: Promise<Database> | undefined;
  private readonly operators = new Map<string, LevelOperatorState>();
  /** Slow opens in flight per operator, so two opens of one operator never interleave. */
  private readonly pendingOpens = new Map<string, Promise<unknown>>();

  constructor(
    statePath: string,
    { sync = true, cacheMaxEntries = 100_000, verifyOnOpen = true }: LevelStateStoreProviderOptions = {},
  ) {
    if (typeof statePath !== 'string' || statePath.length === 0) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'LevelStateStoreProvider needs a state folder path', {
        context: { path: statePath },
      });
    }
    if (!Number.isSafeInteger(cacheMaxEntries) || cacheMaxEntries < 0) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `cacheMaxEntries must be a non-negative integer, got ${cacheMaxEntries}`, {
        context: { option: 'cacheMaxEntries' },
      });
    }
    this.location = joinLeveldb(statePath);
    this.sync = sync;
    this.cacheMaxEntries = cacheMaxEntries;
    this.verifyOnOpen = verifyOnOpen;
  }

  /**
   * The store of `operatorId` for batch `batchId`: returned synchronously when the provider committed version
   * `batchId - 1` of that operator itself, else a Promise (first open, rollback, after close).
   *
   * @throws WeirError `STATE_VERSION_MISMATCH` (context operatorId, batchId, foundVersion), `CONCURRENT_QUERY`
   * (another process holds the database), `STATE_CORRUPT` (damaged state: see the file comment), `STATE_STORE_IO`,
   * `INVALID_ARGUMENT`.
   */
  open(operatorId: string, batchId: number): LevelStateStore | Promise<LevelStateStore> {
    assertOpenArguments(operatorId, batchId);
    const state = this.operators.get(operatorId);
    if (
      this.db !== undefined &&
      state !== undefined &&
      state.version === batchId - 1 &&
      state.pendingCommit === undefined &&
      !this.pendingOpens.has(operatorId)
    ) {
      return this.newStore(this.db, state, batchId);
    }
    const previous = this.pendingOpens.get(operatorId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.openSlowly(operatorId, batchId));
    this.pendingOpens.set(operatorId, next);
    const forget = (): void => {
      if (this.pendingOpens.get(operatorId) === next) this.pendingOpens.delete(operatorId);
    };
    next.then(forget, forget);
    return next;
  }

  /** Waits for commits in flight, supersedes open stores, drops in-memory state and closes LevelDB. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pendingOpens.values()]);
    await Promise.allSettled([...this.operators.values()].map((s) => s.pendingCommit));
    for (const state of this.operators.values()) {
      state.current?.supersede();
      state.current = undefined;
      state.cache.clear();
      state.memo.clear();
      state.generation += 1;
    }
    this.operators.clear();
    const db = this.db ?? (await this.opening?.catch(() => undefined));
    this.db = undefined;
    this.opening = undefined;
    if (db !== undefined) await db.close();
  }

  private newStore(db: Database, state: LevelOperatorState, batchId: number): LevelStateStore {
    state.current?.supersede();
    state.cache.startBatch();
    const store = new LevelStateStore(this.host(db), state, batchId);
    state.current = store;
    return store;
  }

  private host(db: Database): LevelStateStoreHost {
    return {
      db,
      sync: this.sync,
      location: this.location,
      forget: (state) => {
        state.cache.clear();
        state.memo.clear();
        state.generation += 1;
        if (this.operators.get(state.operatorId) === state) this.operators.delete(state.operatorId);
      },
    };
  }

  private async openSlowly(operatorId: string, batchId: number): Promise<LevelStateStore> {
    const db = await this.database();
    await this.operators.get(operatorId)?.pendingCommit;
    let state = this.operators.get(operatorId);
    if (state === undefined) {
      const keys = operatorKeys(operatorId);
      const marker = await this.readMarker(db, keys.marker, operatorId);
      const digest = this.verifyOnOpen ? await this.verify(db, keys, operatorId, marker) : marker.digest;
      state = {
        operatorId,
        keys,
        version: marker.version,
        numRows: marker.numRows,
        digest,
        previousDigest: marker.previousDigest,
        cache: new ReadCache(this.cacheMaxEntries),
        memo: new MemoSlot(),
        generation: 0,
        current: undefined,
        pendingCommit: undefined,
      };
      this.operators.set(operatorId, state);
    }
    if (planStateOpen(operatorId, batchId, state.version) === 'rollback') await this.rollback(db, state, batchId);
    return this.newStore(db, state, batchId);
  }

  /**
   * Counts the operator's entries and computes their digest; STATE_CORRUPT when the count differs from the
   * marker's, or the digest from the marker's (when it has one). Returns the digest.
   */
  private async verify(db: Database, keys: OperatorKeys, operatorId: string, marker: VersionMarker): Promise<number> {
    let count = 0;
    let digest = 0;
    const prefixLength = keys.dataPrefix.length;
    const iterator = db.iterator({ gte: keys.dataPrefix, lt: keys.dataEnd });
    try {
      for (;;) {
        const chunk = await iterator.nextv(1024);
        if (chunk.length === 0) break;
        for (const [key, value] of chunk) {
          count += 1;
          digest = (digest + entryHash(key.subarray(prefixLength), value)) >>> 0;
        }
      }
    } catch (cause) {
      throw stateStoreIo('check of the committed entries', cause, { operatorId, path: this.location });
    } finally {
      await iterator.close().catch(() => undefined);
    }
    const digestDiffers = marker.digest !== undefined && marker.digest !== digest;
    if (count !== marker.numRows || digestDiffers) {
      const recorded = `${marker.numRows} entries${marker.digest === undefined ? '' : `, digest ${formatDigest(marker.digest)}`}`;
      const found = `${count} entries${marker.digest === undefined ? '' : `, digest ${formatDigest(digest)}`}`;
      throw stateCorrupt(
        `State database ${this.location} is damaged: operator ${operatorId} at version ${marker.version} holds ` +
          `${found} where its version marker records ${recorded}, so LevelDB lost or changed committed entries ` +
          `(a damaged table or log file in that folder). ${REBUILD_HINT}`,
        { operatorId, path: this.location, reason: 'entries-differ' },
      );
    }
    return digest;
  }

  private async readMarker(db: Database, key: Uint8Array, operatorId: string): Promise<VersionMarker> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await db.get(key);
    } catch (cause) {
      throw stateStoreIo('read of the version marker', cause, { operatorId, path: this.location });
    }
    return bytes === undefined ? NO_VERSION : decodeMarker(plainBytes(bytes), operatorId);
  }

  /** Restores version `batchId - 1` from the undo record of `batchId`, atomically, and drops the cache. */
  private async rollback(db: Database, state: LevelOperatorState, batchId: number): Promise<void> {
    const { operatorId, keys } = state;
    state.current?.supersede();
    state.current = undefined;
    state.cache.clear();
    state.memo.clear();
    state.generation += 1;
    let raw: Uint8Array | undefined;
    try {
      raw = await db.get(keys.undo);
    } catch (cause) {
      throw stateStoreIo('read of the undo record', cause, { operatorId, batchId, path: this.location });
    }
    // Only one version can be rolled back: after a rollback there is no undo record left.
    if (raw === undefined) throw stateVersionMismatch(operatorId, batchId, state.version);
    const undo = decodeUndo(plainBytes(raw), operatorId);
    if (undo.version !== batchId || undo.previousVersion !== batchId - 1) {
      throw stateCorrupt(`The undo record of operator ${operatorId} is for version ${undo.version}, not ${batchId}`, {
        operatorId,
        batchId,
        path: this.location,
      });
    }
    try {
      const batch = db.batch();
      for (let i = 0; i < undo.keys.length; i += 1) {
        const key = dataKey(keys, undo.keys[i]!);
        const value = undo.values[i];
        if (value == null) batch.del(key);
        else batch.put(key, value);
      }
      batch.put(
        keys.marker,
        encodeMarker({ version: undo.previousVersion, numRows: undo.previousNumRows, digest: state.previousDigest }),
      );
      batch.del(keys.undo); // one version back only
      await batch.write({ sync: this.sync });
    } catch (cause) {
      this.operators.delete(operatorId);
      throw stateStoreIo('rollback', cause, { operatorId, batchId, path: this.location });
    }
    state.version = undo.previousVersion;
    state.numRows = undo.previousNumRows;
    state.digest = state.previousDigest;
    state.previousDigest = undefined;
  }

  private database(): Promise<Database> {
    if (this.db !== undefined) return Promise.resolve(this.db);
    this.opening ??= this.openDatabase().then(
      (db) => {
        this.db = db;
        return db;
      },
      (e: unknown) => {
        this.opening = undefined;
        throw e;
      },
    );
    return this.opening;
  }

  private async openDatabase(): Promise<Database> {
    // A database that LevelDB would silently re-create (CURRENT gone where state exists) is refused first.
    const folder = await inspectStateFolder(this.location);
    assertOpenable(this.location, folder);
    const createIfMissing = folder.identity === undefined && folder.levelFiles.length === 0;
    // level (and its native binding) loads when the first state store opens, not when weir is imported.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
    const { Level: LevelDb } = require('level') as typeof import('level');
    const db = new LevelDb<Uint8Array, Uint8Array>(this.location, {
      keyEncoding: 'view',
      valueEncoding: 'view',
      createIfMissing,
    });
    try {
      await db.open();
    } catch (e) {
      const code = levelErrorCode(e);
      if (code === 'LEVEL_LOCKED') {
        throw new WeirError(ErrorCodes.CONCURRENT_QUERY, `State database ${this.location} is held by another query`, {
          context: { path: this.location },
          cause: e,
        });
      }
      const reason = (e as { cause?: Error })?.cause?.message ?? (e as Error)?.message ?? String(e);
      if (code === 'LEVEL_CORRUPTION' || (!createIfMissing && /does not exist|Corruption/i.test(reason))) {
        throw stateCorrupt(
          `State database ${this.location} is damaged: LevelDB cannot open it (${reason}). ${REBUILD_HINT}`,
          { path: this.location, reason: 'open-failed' },
          e,
        );
      }
      throw stateStoreIo('open', e, { path: this.location });
    }
    try {
      await this.checkRecovery(db);
      const format = await db.get(FORMAT_KEY);
      if (format === undefined) {
        await db.put(FORMAT_KEY, Uint8Array.of(FORMAT_VERSION), { sync: true });
      } else if (format.length !== 1 || format[0] !== FORMAT_VERSION) {
        throw new WeirError(
          ErrorCodes.CHECKPOINT_UNSUPPORTED_VERSION,
          `State database ${this.location} has format ${format[0]}, this weir reads ${FORMAT_VERSION}`,
          { context: { path: this.location, version: format[0] } },
        );
      }
      await this.checkIdentity(db, folder);
    } catch (e) {
      await db.close().catch(() => undefined);
      throw e instanceof WeirError ? e : stateStoreIo('open', e, { path: this.location });
    }
    return db;
  }

  /**
   * Fails when this open's recovery dropped log records (see levelRecoveryLog), or an earlier one did: the first
   * finding is stored in the database, since LevelDB deletes the damaged log file during the open.
   */
  private async checkRecovery(db: Database): Promise<void> {
    const dropped = await droppedAtRecovery(this.location);
    const stored = await db.get(DAMAGE_KEY);
    let report: { file: string; bytes: number; reason: string };
    if (stored !== undefined) {
      report = JSON.parse(new TextDecoder().decode(stored)) as typeof report;
    } else if (dropped.length > 0) {
      report = {
        file: dropped[0]!.file,
        bytes: dropped.reduce((sum, d) => sum + d.bytes, 0),
        reason: dropped.map((d) => d.reason).join('; '),
      };
      await db.put(DAMAGE_KEY, new TextEncoder().encode(JSON.stringify(report)), { sync: true });
    } else return;
    throw stateCorrupt(
      `State database ${this.location} is damaged: LevelDB dropped ${report.bytes} bytes of its log file ` +
        `${report.file} at recovery (${report.reason}), so committed state is missing. ${REBUILD_HINT}`,
      { path: this.location, file: report.file, reason: 'log-records-dropped' },
    );
  }

  /** Writes the identity on the first open (database first, then the file), or checks it against the file. */
  private async checkIdentity(db: Database, folder: StateFolder): Promise<void> {
    const stored = await db.get(IDENTITY_KEY);
    const id = stored === undefined ? undefined : new TextDecoder().decode(stored);
    if (folder.identity !== undefined && id !== folder.identity) {
      throw stateCorrupt(
        `State database ${this.location} is not the one ${folder.identityPath} names (identity ` +
          `${id ?? 'missing'}, expected ${folder.identity}): its files were replaced or copied from elsewhere. ${REBUILD_HINT}`,
        { path: this.location, file: folder.identityPath, reason: 'identity-mismatch' },
      );
    }
    if (folder.identityPath === undefined || folder.identity !== undefined) return;
    let newId = id;
    if (newId === undefined) {
      newId = randomId();
      await db.put(IDENTITY_KEY, new TextEncoder().encode(newId), { sync: true });
    }
    await writeIdentityFile(folder.identityPath, newId);
  }
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `<statePath>/leveldb` without node:path, so the module also bundles for browsers (level → IndexedDB there). */
function joinLeveldb(statePath: string): string {
  const separator = statePath.includes('\\') && !statePath.includes('/') ? '\\' : '/';
  return `${statePath.replace(/[\\/]+$/, '')}${separator}leveldb`;
}
