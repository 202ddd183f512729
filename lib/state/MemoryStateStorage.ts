/**
 * The in-memory twin of a `<statePath>` folder: the committed state of every operator of one query, kept by the
 * application across query runs (a restart in the same process hands the same storage to the new provider).
 *
 * Invariant: per operator it holds exactly committed version `version` plus, when `version >= 0` was committed
 * by this storage, the undo that restores version `version - 1` (the previous row of every key that version
 * wrote, or absent). Rows are encoded bytes, never live objects. At most one provider uses it at a time.
 */
import { ErrorCodes, WeirError } from '../errors';
import { compareBinaryStrings } from './binaryString';
import { ENTRY_OVERHEAD_BYTES } from './WriteBuffer';

/** One committed entry: the key and its value's encoded bytes. */
export interface MemoryRow {
  readonly key: Uint8Array;
  readonly bytes: Uint8Array;
}

/** What rolls `version` back to `previousVersion`: each written key's previous row, `undefined` = absent. */
export interface MemoryUndo {
  readonly version: number;
  readonly previousVersion: number;
  readonly previous: ReadonlyMap<string, MemoryRow | undefined>;
}

function rowBytes(id: string, row: MemoryRow): number {
  return ENTRY_OVERHEAD_BYTES + id.length + row.key.length + row.bytes.length;
}

/** The committed state of one operator. */
export class MemoryOperatorState {
  /** The last committed batch id; -1 when nothing was committed. */
  version = -1;
  /** The undo of `version`, absent after a rollback or before the first commit. */
  undo: MemoryUndo | undefined;
  /** The store currently open on this operator (a newer open supersedes it). */
  current: { supersede(): void } | undefined;
  private readonly rows = new Map<string, MemoryRow>();
  private sorted: string[] | undefined;
  private bytes = 0;

  constructor(readonly operatorId: string) {}

  /** Rows of the committed version. */
  get numRows(): number {
    return this.rows.size;
  }

  /** Estimated heap bytes of the committed rows. */
  get memoryBytes(): number {
    return this.bytes;
  }

  /** The committed row of the key with binary string `id`. */
  row(id: string): MemoryRow | undefined {
    return this.rows.get(id);
  }

  /** Sets (or with `undefined` removes) the row of `id`. */
  setRow(id: string, row: MemoryRow | undefined): void {
    const old = this.rows.get(id);
    if (old !== undefined) this.bytes -= rowBytes(id, old);
    if (row === undefined) {
      if (old !== undefined) {
        this.rows.delete(id);
        this.sorted = undefined;
      }
      return;
    }
    if (old === undefined) this.sorted = undefined;
    this.rows.set(id, row);
    this.bytes += rowBytes(id, row);
  }

  /** Committed rows with `gte <= id < lt` (binary strings), in key order. */
  rangeRows(gte: string | undefined, lt: string | undefined): Array<[string, MemoryRow]> {
    // Sorted ids are rebuilt only after a batch added or removed keys; updates keep them.
    const sorted = (this.sorted ??= [...this.rows.keys()].sort(compareBinaryStrings));
    let lo = 0;
    if (gte !== undefined) {
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]! < gte) lo = mid + 1;
        else hi = mid;
      }
    }
    const out: Array<[string, MemoryRow]> = [];
    for (let i = lo; i < sorted.length; i += 1) {
      const id = sorted[i]!;
      if (lt !== undefined && id >= lt) break;
      out.push([id, this.rows.get(id)!]);
    }
    return out;
  }
}

/**
 * Committed state of a query's operators, in memory. Hand the same instance to each provider of the query so a
 * restart sees the state, as it would see a state folder.
 *
 * @example
 * ```ts
 * const storage = new MemoryStateStorage();
 * startQuery({ ..., stateStoreProvider: () => new MemoryStateStoreProvider({ storage }) });
 * ```
 */
export class MemoryStateStorage {
  private readonly operators = new Map<string, MemoryOperatorState>();
  private owner: object | undefined;

  /** The state of `operatorId`, created empty (version -1) on first use. */
  operator(operatorId: string): MemoryOperatorState {
    let state = this.operators.get(operatorId);
    if (state === undefined) {
      state = new MemoryOperatorState(operatorId);
      this.operators.set(operatorId, state);
    }
    return state;
  }

  /** Ids of the operators that have state, sorted. */
  operatorIds(): string[] {
    return [...this.operators.keys()].sort();
  }

  /**
   * Claims the storage for `owner` (a provider), like LevelDB's lock on a folder.
   *
   * @throws WeirError `CONCURRENT_QUERY` while another provider holds it.
   */
  acquire(owner: object): void {
    if (this.owner !== undefined && this.owner !== owner) {
      throw new WeirError(ErrorCodes.CONCURRENT_QUERY, 'This MemoryStateStorage is in use by another provider', {
        context: {},
      });
    }
    this.owner = owner;
  }

  /** Releases the claim of `owner` (no-op for anyone else). */
  release(owner: object): void {
    if (this.owner === owner) this.owner = undefined;
  }
}
