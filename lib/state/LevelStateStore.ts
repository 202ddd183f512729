/**
 * The LevelDB StateStore of one operator for one batch.
 *
 * Invariant: opened for batch N it shows committed version N-1 overlaid with its pending writes; reads go through
 * the pending writes, then the operator's read cache, then LevelDB (one `getMany` per call for the misses), so a
 * read answered from memory returns a plain value. `commit()` is ONE LevelDB `batch()` holding the pending
 * puts/deletes, the new version marker {N, row count, digest of the entries} and the undo record of N (the previous bytes, or absent, of
 * every key it changes): after a crash the database holds version N-1 or version N, never a mix, and version N
 * can always be rolled back to N-1. Nothing reaches LevelDB before `commit()`.
 */
import type { Level } from 'level';
import type { MaybePromise, StateStore, StateStoreMetrics } from '../contracts';
import { toBinaryString } from './binaryString';
import { OffHeapSlab } from './OffHeapSlab';
import { dataKey, encodeMarker, encodeUndo, type OperatorKeys } from './levelLayout';
import { updateDigest } from './entryDigest';
import { BatchMemo, type MemoSlot } from './MemoSlot';
import type { ReadCache } from './ReadCache';
import { stateStoreClosed, stateStoreIo } from './stateErrors';
import { decodeValue, encodeValue, plainBytes } from './valueCodec';
import { mergeRange, rangeBounds, WriteBuffer } from './WriteBuffer';

/** The database handle and options a store shares with its provider. */
export interface LevelStateStoreHost {
  readonly db: Level<Uint8Array, Uint8Array>;
  /** fsync each commit batch (see LevelStateStoreProviderOptions.sync). */
  readonly sync: boolean;
  readonly location: string;
  /** Drops the in-memory state of an operator whose on-disk state is no longer known (a failed commit). */
  forget(state: LevelOperatorState): void;
}

/** What the provider keeps in memory per operator between batches. */
export interface LevelOperatorState {
  readonly operatorId: string;
  readonly keys: OperatorKeys;
  /** The committed version on disk (the marker); -1 = none. */
  version: number;
  /** Rows of the committed version (persisted in the marker). */
  numRows: number;
  /** The digest of the committed version's entries (entryDigest; in the marker); undefined when not known. */
  digest: number | undefined;
  /** The digest of the version before it, for a rollback; undefined when not known. */
  previousDigest: number | undefined;
  readonly cache: ReadCache;
  /** The operator's memo (see StateStore.memo); cleared with the cache. */
  readonly memo: MemoSlot;
  /** Bumped whenever the committed state changes, so a read that started before it does not fill the cache. */
  generation: number;
  current: LevelStateStore | undefined;
  /** Set while a commit is writing: opens wait for it. */
  pendingCommit: Promise<unknown> | undefined;
}

type Phase = 'open' | 'committing' | 'committed' | 'aborted' | 'superseded';

const ITERATOR_CHUNK = 1024;

/**
 * A range is answered from the read cache, when it holds every committed key, up to this many cached entries
 * (one pass over the cache in memory; a LevelDB scan costs milliseconds even when it finds nothing).
 */
const RANGE_FROM_CACHE_MAX_ENTRIES = 200_000;

/** The bytes of a binary string (one char per byte). */
function fromBinaryString(id: string): Uint8Array {
  const out = new Uint8Array(id.length);
  for (let i = 0; i < id.length; i += 1) out[i] = id.charCodeAt(i);
  return out;
}

/**
 * A {@link StateStore} on LevelDB. Made by `LevelStateStoreProvider.open`.
 *
 * @example
 * ```ts
 * const store = await provider.open('agg', 7); // shows version 6
 * const [a, b] = await store.getMany([k1, k2]); // one LevelDB read for what the cache misses
 * store.put(k1, { count: (a?.count ?? 0) + 1 });
 * await store.commit(); // 7
 * ```
 */
export class LevelStateStore<V = unknown> implements StateStore<V> {
  readonly operatorId: string;
  private phase: Phase = 'open';
  private readonly writes = new WriteBuffer();
  private commitPromise: Promise<number> | undefined;
  private committedMetrics: StateStoreMetrics | undefined;
  private readonly memoHandle: BatchMemo;

  /** Use `LevelStateStoreProvider.open`; `state` must be at version `version - 1`. */
  constructor(
    private readonly host: LevelStateStoreHost,
    private readonly state: LevelOperatorState,
    readonly version: number,
  ) {
    this.operatorId = state.operatorId;
    this.memoHandle = new BatchMemo(state.memo, version);
  }

  /** The value of `key`: plain when pending or cached, a Promise when LevelDB must be read. */
  get(key: Uint8Array): V | undefined | Promise<V | undefined> {
    this.assertOpen('get');
    const id = toBinaryString(key);
    const write = this.writes.lookup(id);
    if (write !== undefined) return write.bytes === null ? undefined : (decodeValue(write.bytes) as V);
    const cached = this.state.cache.lookup(id);
    if (cached !== undefined) return cached === null ? undefined : (decodeValue(cached) as V);
    if (this.cacheHoldsEveryKey()) return undefined;
    return this.readMisses([key], [id]).then(([bytes]) => (bytes == null ? undefined : (decodeValue(bytes) as V)));
  }

  /** Values of `keys` in order: a plain array when all are pending or cached, else one LevelDB `getMany`. */
  getMany(keys: readonly Uint8Array[]): (V | undefined)[] | Promise<(V | undefined)[]> {
    this.assertOpen('getMany');
    const out = new Array<V | undefined>(keys.length);
    let missIndexes: number[] | undefined;
    let missIds: string[] | undefined;
    for (let i = 0; i < keys.length; i += 1) {
      const id = toBinaryString(keys[i]!);
      const write = this.writes.lookup(id);
      const bytes = write !== undefined ? write.bytes : this.state.cache.lookup(id);
      if (bytes === undefined) {
        (missIndexes ??= []).push(i);
        (missIds ??= []).push(id);
      } else out[i] = bytes === null ? undefined : (decodeValue(bytes) as V);
    }
    if (missIndexes === undefined || this.cacheHoldsEveryKey()) return out;
    const indexes = missIndexes;
    return this.readMisses(
      indexes.map((i) => keys[i]!),
      missIds!,
    ).then((values) => {
      for (let m = 0; m < indexes.length; m += 1) {
        const bytes = values[m];
        out[indexes[m]!] = bytes == null ? undefined : (decodeValue(bytes) as V);
      }
      return out;
    });
  }

  /** Records `value` for `key`, encoding it now: later changes to `value` are not seen. */
  put(key: Uint8Array, value: V): void {
    this.assertOpen('put');
    this.writes.put(toBinaryString(key), key, encodeValue(value, { operatorId: this.operatorId, batchId: this.version }));
  }

  /** Records a delete of `key` (a no-op at commit when the key does not exist). */
  delete(key: Uint8Array): void {
    this.assertOpen('delete');
    this.writes.delete(toBinaryString(key), key);
  }

  /**
   * Entries with `gte <= key < lt` in key order, pending writes included (as of this call). Plain when the
   * committed version has no rows or the read cache holds all of them; else a LevelDB scan, so a Promise.
   */
  range(options?: { gte?: Uint8Array; lt?: Uint8Array }): Array<[Uint8Array, V]> | Promise<Array<[Uint8Array, V]>> {
    this.assertOpen('range');
    const bounds = rangeBounds(options);
    const writes = this.writes.inRange(bounds.gte, bounds.lt);
    if (this.state.numRows === 0) return mergeRange<V>([], writes);
    const cache = this.state.cache;
    if (cache.presentCount === this.state.numRows && cache.size <= RANGE_FROM_CACHE_MAX_ENTRIES) {
      // The cache holds every committed key (its present entries equal LevelDB's and number numRows): no scan.
      const cached = cache.committedInRange(bounds.gte, bounds.lt);
      const committed = new Array<[Uint8Array, Uint8Array]>(cached.length);
      for (let i = 0; i < cached.length; i += 1) committed[i] = [fromBinaryString(cached[i]![0]), cached[i]![1]];
      return mergeRange<V>(committed, writes);
    }
    return this.scan(options).then((committed) => mergeRange<V>(committed, writes));
  }

  /** See StateStore.memo: the memo of version `version - 1`, or `build()`'s. */
  memo<T>(build: () => MaybePromise<T>): MaybePromise<T> {
    this.assertOpen('memo');
    return this.memoHandle.get(build);
  }

  /** Writes version `version` in one LevelDB batch; resolves with it. Calling it again returns the same promise. */
  commit(): Promise<number> {
    if (this.commitPromise !== undefined) return this.commitPromise;
    try {
      this.assertOpen('commit');
    } catch (e) {
      return Promise.reject(e);
    }
    this.phase = 'committing';
    this.commitPromise = this.write();
    this.state.pendingCommit = this.commitPromise.catch(() => undefined);
    return this.commitPromise;
  }

  /** Drops the pending writes. A no-op after commit (the engine may abort every store of a failed batch). */
  async abort(): Promise<void> {
    if (this.phase === 'committing') {
      await this.commitPromise!.catch(() => undefined);
      return;
    }
    if (this.phase !== 'open') return;
    this.writes.clear();
    this.phase = 'aborted';
    if (this.state.current === this) this.state.current = undefined;
  }

  /**
   * Exact after commit. Before, `numRowsRemoved` and `numRowsTotal` count only what is known without reading
   * LevelDB (deletes and puts of keys that are pending or cached); commit resolves the rest.
   */
  metrics(): StateStoreMetrics {
    if (this.committedMetrics !== undefined) return this.committedMetrics;
    const cache = this.state.cache;
    let total = this.state.numRows;
    let updated = 0;
    let removed = 0;
    for (const write of this.writes.all()) {
      const before = cache.peek(write.id);
      if (write.bytes !== null) {
        updated += 1;
        if (before === null) total += 1;
      } else if (before != null) {
        removed += 1;
        total -= 1;
      }
    }
    return {
      numRowsTotal: total,
      numRowsUpdated: updated,
      numRowsRemoved: removed,
      commitTimeMs: 0,
      memoryUsedBytes: cache.memoryBytes + this.writes.memoryBytes() + this.memoHandle.memoryBytes(),
      customMetrics: this.cacheMetrics(),
    };
  }

  /** Called by the provider when a newer store of the operator is opened, or on close. */
  supersede(): void {
    if (this.phase !== 'open') return;
    this.writes.clear();
    this.phase = 'superseded';
  }

  /**
   * True when the read cache holds every committed key (its present entries number `numRows`, as `range` uses):
   * a key it does not know is then absent, and no LevelDB read is needed to say so.
   */
  private cacheHoldsEveryKey(): boolean {
    return this.state.cache.presentCount === this.state.numRows;
  }

  private cacheMetrics(): Record<string, number> {
    const cache = this.state.cache;
    return { cacheHitCount: cache.hits, cacheMissCount: cache.misses, cacheEntries: cache.size };
  }

  private assertOpen(operation: string): void {
    if (this.phase !== 'open') throw stateStoreClosed(this.operatorId, this.version, operation, this.phase);
  }

  private ioContext(): { operatorId: string; batchId: number; path: string } {
    return { operatorId: this.operatorId, batchId: this.version, path: this.host.location };
  }

  /** Reads committed bytes of `keys` in one `getMany` and caches them unless the committed state moved meanwhile. */
  private async readMisses(keys: readonly Uint8Array[], ids: readonly string[]): Promise<(Uint8Array | null)[]> {
    const state = this.state;
    const generation = state.generation;
    let raw: (Uint8Array | undefined)[];
    try {
      raw = await this.host.db.getMany(keys.map((key) => dataKey(state.keys, key)));
    } catch (cause) {
      throw stateStoreIo('read', cause, this.ioContext());
    }
    const values = raw.map((bytes) => (bytes === undefined ? null : plainBytes(bytes)));
    if (state.generation === generation) {
      for (let i = 0; i < ids.length; i += 1) state.cache.setIfAbsent(ids[i]!, values[i]!);
    }
    return values;
  }

  /** Committed `[key, bytes]` entries of the range, in key order. */
  private async scan(options: { gte?: Uint8Array; lt?: Uint8Array } | undefined): Promise<Array<[Uint8Array, Uint8Array]>> {
    const keys = this.state.keys;
    const prefixLength = keys.dataPrefix.length;
    const iterator = this.host.db.iterator({
      gte: options?.gte === undefined ? keys.dataPrefix : dataKey(keys, options.gte),
      lt: options?.lt === undefined ? keys.dataEnd : dataKey(keys, options.lt),
    });
    const out: Array<[Uint8Array, Uint8Array]> = [];
    try {
      for (;;) {
        const chunk = await iterator.nextv(ITERATOR_CHUNK);
        if (chunk.length === 0) break;
        for (const [key, value] of chunk) {
          out.push([new Uint8Array(key.buffer, key.byteOffset + prefixLength, key.byteLength - prefixLength), plainBytes(value)]);
        }
      }
    } catch (cause) {
      throw stateStoreIo('range scan', cause, this.ioContext());
    } finally {
      await iterator.close().catch(() => undefined);
    }
    return out;
  }

  private async write(): Promise<number> {
    const started = performance.now();
    const state = this.state;
    const writes = [...this.writes.all()];
    try {
      // The previous bytes of every written key: from the cache, else one getMany.
      const previous = new Array<Uint8Array | null>(writes.length);
      const unknown: number[] = [];
      const complete = this.cacheHoldsEveryKey();
      for (let i = 0; i < writes.length; i += 1) {
        const cached = state.cache.peek(writes[i]!.id);
        if (cached !== undefined) previous[i] = cached;
        else if (complete) previous[i] = null;
        else unknown.push(i);
      }
      if (unknown.length > 0) {
        const raw = await this.host.db.getMany(unknown.map((i) => dataKey(state.keys, writes[i]!.key)));
        for (let u = 0; u < unknown.length; u += 1) {
          const bytes = raw[u];
          previous[unknown[u]!] = bytes === undefined ? null : plainBytes(bytes);
        }
      }
      // A chained batch hands each operation to LevelDB's WriteBatch at once (cheaper than an operations array,
      // which abstract-level clones and re-validates); write() applies it atomically.
      const batch = this.host.db.batch();
      const prefix = state.keys.dataPrefix;
      let slabBytes = 0;
      for (const write of writes) slabBytes += prefix.length + write.key.length + (write.bytes?.length ?? 0);
      const slab = new OffHeapSlab(slabBytes);
      let numRows = state.numRows;
      let digest = state.digest;
      let updated = 0;
      let removed = 0;
      const undoKeys: Uint8Array[] = [];
      const undoValues: (Uint8Array | null)[] = [];
      try {
        for (let i = 0; i < writes.length; i += 1) {
          const write = writes[i]!;
          const before = previous[i] as Uint8Array | null;
          if (digest !== undefined) digest = updateDigest(digest, write.key, before, write.bytes);
          if (write.bytes === null) {
            if (before === null) continue; // deleting an absent key changes nothing
            batch.del(slab.concat(prefix, write.key));
            removed += 1;
            numRows -= 1;
          } else {
            batch.put(slab.concat(prefix, write.key), slab.copy(write.bytes));
            updated += 1;
            if (before === null) numRows += 1;
          }
          undoKeys.push(write.key);
          undoValues.push(before);
        }
        batch.put(
          state.keys.marker,
          encodeMarker({ version: this.version, numRows, digest, previousDigest: state.digest }),
        );
        batch.put(
          state.keys.undo,
          encodeUndo({
            version: this.version,
            previousVersion: state.version,
            previousNumRows: state.numRows,
            keys: undoKeys,
            values: undoValues,
          }),
        );
      } catch (e) {
        await batch.close();
        throw e;
      }
      await batch.write({ sync: this.host.sync });

      state.version = this.version;
      state.numRows = numRows;
      state.previousDigest = state.digest;
      state.digest = digest;
      state.generation += 1;
      for (const write of writes) state.cache.set(write.id, write.bytes);
      this.memoHandle.committed();
      if (state.current === this) state.current = undefined;
      this.writes.clear();
      this.phase = 'committed';
      this.committedMetrics = {
        numRowsTotal: numRows,
        numRowsUpdated: updated,
        numRowsRemoved: removed,
        commitTimeMs: performance.now() - started,
        memoryUsedBytes: state.cache.memoryBytes + this.memoHandle.memoryBytes(),
        customMetrics: this.cacheMetrics(),
      };
      return this.version;
    } catch (cause) {
      // LevelDB batches are atomic, but whether this one landed is unknown: re-read the marker on the next open.
      this.phase = 'aborted';
      this.host.forget(state);
      throw stateStoreIo('commit', cause, this.ioContext());
    } finally {
      state.pendingCommit = undefined;
    }
  }
}
