/**
 * The memo of one operator in a state store provider: an in-memory object the operator derives from its
 * committed state (Spark's HDFS-backed store keeps its whole map in memory the same way), so that a batch does
 * not decode state it already holds.
 *
 * Invariant: the slot holds a value only together with the version it describes. A store of batch N gets it only
 * when that version is N-1 (version continuity); taking it empties the slot, so a batch that aborts, fails to
 * commit or is superseded leaves no memo behind and the next batch rebuilds it from the committed state. Only a
 * successful commit of N puts the (possibly mutated) value back, as version N.
 */
import type { MaybePromise } from '../contracts';
import { then } from '../util/maybe';

export class MemoSlot {
  private held: { readonly value: unknown; readonly version: number } | undefined;

  /** The memo describing version `version - 1`, removed from the slot; undefined when there is none. */
  take(version: number): { readonly value: unknown } | undefined {
    const held = this.held;
    this.held = undefined;
    return held !== undefined && held.version === version - 1 ? held : undefined;
  }

  /** Keeps `value` as the memo of committed version `version`. */
  keep(value: unknown, version: number): void {
    this.held = { value, version };
  }

  clear(): void {
    this.held = undefined;
  }
}

/** The memo as the store of one batch sees it (StateStore.memo). */
export class BatchMemo {
  private held: { readonly value: unknown } | undefined;

  constructor(
    private readonly slot: MemoSlot,
    private readonly version: number,
  ) {}

  /** The memo of version `version - 1` (taken from the slot), else `build()`'s; the same object on every call. */
  get<T>(build: () => MaybePromise<T>): MaybePromise<T> {
    if (this.held !== undefined) return this.held.value as T;
    const taken = this.slot.take(this.version);
    if (taken !== undefined) {
      this.held = taken;
      return taken.value as T;
    }
    const built = build();
    const hold = (value: T): T => {
      this.held = { value };
      return value;
    };
    return then(built, hold);
  }

  /** The memo's estimate of its heap bytes (a memo object with a `memoryBytes()` method), else 0. */
  memoryBytes(): number {
    const value = this.held?.value as { memoryBytes?: unknown } | null | undefined;
    return typeof value === 'object' && value !== null && typeof value.memoryBytes === 'function' ? Number(value.memoryBytes()) || 0 : 0;
  }

  /** The store committed `version`: the memo (if this batch had one) describes it now. */
  committed(): void {
    if (this.held !== undefined) this.slot.keep(this.held.value, this.version);
  }
}
