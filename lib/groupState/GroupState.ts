/**
 * `GroupState`: the per-key state handle of `flatMapGroupsWithState` / `mapGroupsWithState` (Spark's
 * GroupStateImpl, with its messages).
 *
 * Invariants:
 * - One handle per call of the user function. It starts from the stored value (if any) and *no* timeout: a timeout
 *   holds only if the function sets it again in this call (Spark resets it on every call).
 * - Only the handle's final state is read by the operator after the call: `updated`, `removed`, the value, and
 *   the timeout timestamp. The handle does no I/O.
 * - Processing time is the batch's timestamp (`batchTimestampMs`, logged in the WAL), so a replayed batch sees the
 *   same time; the event-time watermark is the batch's watermark for eviction.
 */
import { ErrorCodes, WeirError } from '../errors';
import { intervalToDelayMs, parseInterval } from '../util/interval';

/** Spark's GroupStateTimeout. */
export const GroupStateTimeout = {
  NoTimeout: 'NoTimeout',
  ProcessingTimeTimeout: 'ProcessingTimeTimeout',
  EventTimeTimeout: 'EventTimeTimeout',
} as const;

export type GroupStateTimeout = (typeof GroupStateTimeout)[keyof typeof GroupStateTimeout];

/** Parses a timeout conf the way PySpark's `applyInPandasWithState` takes it (case-insensitive names). */
export function parseGroupStateTimeout(timeout: string): GroupStateTimeout {
  const found = Object.values(GroupStateTimeout).find((t) => t.toLowerCase() === String(timeout).toLowerCase());
  if (found === undefined) {
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `Unknown timeout conf ${timeout}. Accepted: 'NoTimeout', 'ProcessingTimeTimeout', 'EventTimeTimeout'`,
      { context: { timeout } },
    );
  }
  return found;
}

/** Spark's messages. */
export const GroupStateMessages = {
  notDefined: 'State is either not defined or has already been removed',
  nullValue: "'null' is not a valid state value",
  durationNotEnabled: 'Cannot set timeout duration without enabling processing time timeout in [map|flatMap]GroupsWithState.',
  timestampNotEnabled: 'Cannot set timeout timestamp without enabling event time timeout in [map|flatMapGroupsWithState.',
  noWatermark: 'Cannot get event time watermark timestamp without setting watermark before [map|flatMap]GroupsWithState.',
  durationNotPositive: 'Timeout duration must be positive',
  timestampNotPositive: 'Timeout timestamp must be positive',
} as const;

/**
 * The state of one group, handed to the user function with the group's rows.
 *
 * @example
 * (key, rows, state: GroupState<{ n: number }>) => {
 *   const n = (state.getOption()?.n ?? 0) + rows.length
 *   state.update({ n })
 *   state.setTimeoutDuration('1 hour')
 *   return [{ ...key, n }]
 * }
 */
export interface GroupState<S> {
  /** True when the group has a value (Spark's `exists`). */
  readonly exists: boolean;
  /** The value; throws (STATE_NOT_DEFINED) when there is none. */
  get(): S;
  /** The value, or `undefined` when there is none. */
  getOption(): S | undefined;
  /** Replaces the value (`null`/`undefined` are rejected, as in Spark). */
  update(newState: S): void;
  /** Removes the value (a timeout set in the same call still holds). */
  remove(): void;
  /** True when the function is called because the group's timeout expired (then it gets no rows). */
  readonly hasTimedOut: boolean;
  /** ProcessingTimeTimeout: time out `duration` (ms or an interval string) after the batch's processing time. */
  setTimeoutDuration(duration: number | string): void;
  /** EventTimeTimeout: time out once the watermark passes `timestamp` (+ `additionalDuration`). */
  setTimeoutTimestamp(timestamp: number | Date, additionalDuration?: string): void;
  /** The batch's event-time watermark (throws when the query has none). */
  getCurrentWatermarkMs(): number;
  /** The batch's processing time (`batchTimestampMs`). */
  getCurrentProcessingTimeMs(): number;
  /** The timeout timestamp set in this call, if any. */
  getTimeoutTimestampMs(): number | undefined;
}

/** Milliseconds of a duration string, Spark's `parseDuration` (months = 31 days; negative rejected). */
export function parseDuration(duration: string): number {
  const ms = intervalToDelayMs(parseInterval(duration));
  if (ms < 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Provided duration (${duration}) is negative`, { context: { duration } });
  }
  return ms;
}

/** What the operator needs to build a handle. */
export interface GroupStateOptions<S> {
  readonly value: S | undefined;
  readonly timeout: GroupStateTimeout;
  readonly hasTimedOut: boolean;
  readonly batchProcessingTimeMs: number;
  /** The eviction watermark; `undefined` when the query has no watermark. */
  readonly eventTimeWatermarkMs: number | undefined;
}

/** The handle implementation; the operator reads its final fields after the call. */
export class GroupStateImpl<S> implements GroupState<S> {
  private value: S | undefined;
  private defined: boolean;
  /** Set by `update`. */
  updated = false;
  /** Set by `remove`. */
  removed = false;
  private timeoutTimestamp: number | undefined;

  constructor(private readonly o: GroupStateOptions<S>) {
    this.value = o.value;
    this.defined = o.value !== undefined;
  }

  get exists(): boolean {
    return this.defined;
  }

  get hasTimedOut(): boolean {
    return this.o.hasTimedOut;
  }

  get(): S {
    if (!this.defined) throw new WeirError(ErrorCodes.STATE_NOT_DEFINED, GroupStateMessages.notDefined, { context: {} });
    return this.value as S;
  }

  getOption(): S | undefined {
    return this.defined ? this.value : undefined;
  }

  update(newState: S): void {
    if (newState === null || newState === undefined) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, GroupStateMessages.nullValue, { context: {} });
    }
    this.value = newState;
    this.defined = true;
    this.updated = true;
    this.removed = false;
  }

  remove(): void {
    this.value = undefined;
    this.defined = false;
    this.updated = false;
    this.removed = true;
  }

  setTimeoutDuration(duration: number | string): void {
    if (this.o.timeout !== GroupStateTimeout.ProcessingTimeTimeout) {
      throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, GroupStateMessages.durationNotEnabled, { context: { timeout: this.o.timeout } });
    }
    const ms = typeof duration === 'number' ? duration : parseDuration(duration);
    if (!(ms > 0)) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, GroupStateMessages.durationNotPositive, { context: { duration } });
    }
    this.timeoutTimestamp = ms + this.o.batchProcessingTimeMs;
  }

  setTimeoutTimestamp(timestamp: number | Date, additionalDuration?: string): void {
    if (this.o.timeout !== GroupStateTimeout.EventTimeTimeout) {
      throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, GroupStateMessages.timestampNotEnabled, { context: { timeout: this.o.timeout } });
    }
    const base = timestamp instanceof Date ? timestamp.getTime() : timestamp;
    const ms = base + (additionalDuration === undefined ? 0 : parseDuration(additionalDuration));
    if (!(ms > 0)) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, GroupStateMessages.timestampNotPositive, { context: { timestamp: ms } });
    }
    const wm = this.o.eventTimeWatermarkMs;
    if (wm !== undefined && ms < wm) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `Timeout timestamp (${ms}) cannot be earlier than the current watermark (${wm})`,
        { context: { timestamp: ms, watermarkMs: wm } },
      );
    }
    this.timeoutTimestamp = ms;
  }

  getCurrentWatermarkMs(): number {
    if (this.o.eventTimeWatermarkMs === undefined) {
      throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, GroupStateMessages.noWatermark, { context: {} });
    }
    return this.o.eventTimeWatermarkMs;
  }

  getCurrentProcessingTimeMs(): number {
    return this.o.batchProcessingTimeMs;
  }

  getTimeoutTimestampMs(): number | undefined {
    return this.timeoutTimestamp;
  }
}
