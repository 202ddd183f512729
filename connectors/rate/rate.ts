/**
 * Spark's `rate` source (`RateStreamMicroBatchStream`): `rowsPerSecond` rows per second of query time, with an
 * optional linear ramp-up.
 *
 * Invariant: offset `s` = whole seconds since the query's creation time, and `(s1, s2]` always yields the values
 * `[valueAtSecond(s1), valueAtSecond(s2))` with the same timestamps, because the creation time is written
 * durably to `<metadataPath>/0` on the first run and read back on every restart.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Observable } from 'rxjs';
import type { Clock, Offset, ReadLimit, Source, SourceContext } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { mkdirsDurably, writeFileDurably } from '../../lib/checkpoint/durableWrite';
import { decodeLogFile, encodeLogFile } from '../../lib/checkpoint/logFile';
import { assertKnownOptions } from '../../lib/connector/assertKnownOptions';
import { invalidOption } from '../../lib/connector/invalidOption';
import { toLongOffset } from '../../lib/connector/toLongOffset';
import { readFileIfExists } from '../../lib/util/readFileIfExists';

/**
 * Options of {@link rate} (Spark's option names and defaults, except `numPartitions`: 1, not the parallelism).
 *
 * @example
 * ```ts
 * const options: RateOptions = { rowsPerSecond: 1000, rampUpTime: '10s', numPartitions: 4 };
 * ```
 */
export interface RateOptions {
  /** Rows generated per second once ramped up; a positive integer. Default 1. */
  rowsPerSecond?: number;
  /**
   * How long the speed ramps up linearly to `rowsPerSecond`: seconds as a number, or a duration string
   * (`'5s'`, `'2 seconds'`, `'1 minute'`, `'1500ms'`, `'1h'`). Truncated to whole seconds. Default `'0s'`.
   */
  rampUpTime?: string | number;
  /** Rows of one range are split into this many partitions, concatenated in partition order. Default 1. */
  numPartitions?: number;
}

/**
 * A row of the rate source: Spark's schema `timestamp TIMESTAMP, value LONG`.
 *
 * @example
 * ```ts
 * const row: RateRow = { timestamp: new Date('2024-01-01T00:00:00.500Z'), value: 1 };
 * ```
 */
export type RateRow = { timestamp: Date; value: number };

/** Version of the `<metadataPath>/0` file (Spark's `RateStreamProvider.VERSION`). */
const METADATA_VERSION = 1;
const CREATION_TIME_FILE = '0';

/**
 * The rate source: `rowsPerSecond` rows per second since the query was created, `value` counting from 0.
 *
 * - Offset = whole seconds since the creation time (`clock.now()` at the first `open`, kept in
 *   `<checkpoint>/sources/<i>/0` so that a restarted query continues the same sequence).
 * - With `rampUpTime = r` seconds the speed grows by `floor(rowsPerSecond / (r + 1))` per second during the first
 *   `r` seconds, then stays at `rowsPerSecond` (Spark's `valueAtSecond`).
 * - Row timestamps are spread evenly over the seconds a range covers, so during a ramp-up they depend on how
 *   the seconds were cut into batches (as in Spark); values never do.
 * - Read limits are ignored (as in Spark: one batch takes every whole second that has passed).
 * - Trigger.AvailableNow stops at the offset reached when the run was prepared.
 *
 * @example
 * ```ts
 * import { rate } from 'weir-streams/sources';
 * const source = rate({ rowsPerSecond: 100, rampUpTime: '5s', numPartitions: 2 });
 * // rows: { timestamp: Date, value: number }, 100 per second after 5 seconds of ramp-up
 * ```
 */
export function rate(options: RateOptions = {}): Source<RateRow> {
  assertKnownOptions('rate', options, ['rowsPerSecond', 'rampUpTime', 'numPartitions']);
  const { rowsPerSecond = 1, rampUpTime = '0s', numPartitions = 1 } = options;
  if (!Number.isSafeInteger(rowsPerSecond) || rowsPerSecond <= 0) {
    throw invalidOption('rate', 'rowsPerSecond', rowsPerSecond, 'must be a positive integer', 'e.g. { rowsPerSecond: 100 }');
  }
  if (!Number.isSafeInteger(numPartitions) || numPartitions <= 0) {
    throw invalidOption('rate', 'numPartitions', numPartitions, 'must be a positive integer', 'e.g. { numPartitions: 4 }');
  }
  const rampUpTimeSeconds = parseRampUpTime(rampUpTime);
  const maxSeconds = Math.floor(Number.MAX_SAFE_INTEGER / rowsPerSecond);
  if (rampUpTimeSeconds > maxSeconds) {
    throw invalidOption(
      'rate',
      'rampUpTime',
      rampUpTime,
      `overflows: with ${rowsPerSecond} rowsPerSecond the largest offset is ${maxSeconds} seconds`,
      'use a shorter rampUpTime',
    );
  }
  return new RateSource(rowsPerSecond, rampUpTimeSeconds, numPartitions, maxSeconds);
}

/** The last value (exclusive) emitted up to second `seconds` (Spark's `RateStreamProvider.valueAtSecond`). */
function valueAtSecond(seconds: number, rowsPerSecond: number, rampUpTimeSeconds: number): number {
  // E.g. rampUpTimeSeconds = 4, rowsPerSecond = 10, so speedDeltaPerSecond = 2:
  //   seconds   = 0 1 2  3  4  5  6
  //   speed     = 0 2 4  6  8 10 10
  //   end value = 0 2 6 12 20 30 40
  const speedDeltaPerSecond = Math.floor(rowsPerSecond / (rampUpTimeSeconds + 1));
  if (seconds <= rampUpTimeSeconds) {
    // speedDelta * seconds * (seconds + 1) / 2, halving the even factor first to stay exact (Spark's trick).
    return seconds % 2 === 1
      ? ((seconds + 1) / 2) * speedDeltaPerSecond * seconds
      : (seconds / 2) * speedDeltaPerSecond * (seconds + 1);
  }
  const rampUpPart = valueAtSecond(rampUpTimeSeconds, rowsPerSecond, rampUpTimeSeconds);
  return rampUpPart + (seconds - rampUpTimeSeconds) * rowsPerSecond;
}

/** Seconds per unit of a `rampUpTime` string, as [numerator, denominator] so that truncation is exact. */
const DURATION_UNITS: ReadonlyMap<string, readonly [number, number]> = new Map(
  (
    [
      [['us', 'usec', 'usecs', 'microsecond', 'microseconds'], [1, 1_000_000]],
      [['ms', 'msec', 'msecs', 'millisecond', 'milliseconds'], [1, 1000]],
      [['', 's', 'sec', 'secs', 'second', 'seconds'], [1, 1]],
      [['m', 'min', 'mins', 'minute', 'minutes'], [60, 1]],
      [['h', 'hr', 'hrs', 'hour', 'hours'], [3600, 1]],
      [['d', 'day', 'days'], [86_400, 1]],
    ] as const
  ).flatMap(([names, ratio]) => names.map((name) => [name, ratio] as const)),
);

/** `rampUpTime` in whole seconds (Spark's `JavaUtils.timeStringAsSec`, also accepting spelt-out units). */
function parseRampUpTime(value: string | number): number {
  const hint = "a number of seconds or a duration string such as '5s', '2 seconds' or '1 minute'";
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw invalidOption('rate', 'rampUpTime', value, 'must not be negative', hint);
    }
    return Math.trunc(value);
  }
  if (typeof value !== 'string') {
    throw invalidOption('rate', 'rampUpTime', value, 'must be a number or a string', hint);
  }
  const match = /^\s*(-?\d+)\s*([a-z]*)\s*$/.exec(value.toLowerCase());
  const ratio = match ? DURATION_UNITS.get(match[2] as string) : undefined;
  if (!match || !ratio) {
    throw invalidOption('rate', 'rampUpTime', value, 'is not a duration', hint);
  }
  const amount = Number(match[1]);
  if (amount < 0) throw invalidOption('rate', 'rampUpTime', value, 'must not be negative', hint);
  const seconds = Math.floor((amount * ratio[0]) / ratio[1]);
  if (!Number.isSafeInteger(seconds)) throw invalidOption('rate', 'rampUpTime', value, 'is too large', hint);
  return seconds;
}

/** The state of one query run: set by `open`. */
interface RateRun {
  readonly clock: Clock;
  readonly creationTimeMs: number;
  /** The largest time seen (clock or recovered end offset), so offsets never go back if the clock does. */
  lastTimeMs: number;
  /** Set by `prepareForTriggerAvailableNow`: the last offset of this run. */
  availableNowEnd: number | undefined;
}

class RateSource implements Source<RateRow> {
  readonly description: string;
  private run: RateRun | undefined;

  constructor(
    private readonly rowsPerSecond: number,
    private readonly rampUpTimeSeconds: number,
    private readonly numPartitions: number,
    private readonly maxSeconds: number,
  ) {
    this.description =
      `RateStreamV2[rowsPerSecond=${rowsPerSecond}, rampUpTimeSeconds=${rampUpTimeSeconds}, ` +
      `numPartitions=${numPartitions}]`;
  }

  async open(context: SourceContext): Promise<void> {
    const creationTimeMs = await readOrCreateCreationTime(context, this.description);
    this.run = { clock: context.clock, creationTimeMs, lastTimeMs: creationTimeMs, availableNowEnd: undefined };
  }

  async initialOffset(): Promise<Offset> {
    return 0;
  }

  async latestOffset(start: Offset, _limit: ReadLimit): Promise<Offset> {
    const run = this.opened();
    const from = this.toSeconds(start);
    return Math.max(from, run.availableNowEnd ?? this.secondsNow(run));
  }

  read(start: Offset, end: Offset): Observable<RateRow> {
    return new Observable<RateRow>((subscriber) => {
      const run = this.opened();
      const startSeconds = this.toSeconds(start);
      const endSeconds = this.toSeconds(end);
      if (startSeconds > endSeconds) {
        throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${this.description}: start ${startSeconds} is after end ${endSeconds}`, {
          context: { source: this.description, offset: { start, end } },
        });
      }
      if (endSeconds > this.maxSeconds) {
        throw new WeirError(
          ErrorCodes.SOURCE_ERROR,
          `${this.description}: integer overflow; the largest offset with ${this.rowsPerSecond} rowsPerSecond is ` +
            `${this.maxSeconds}, but it is ${endSeconds} now`,
          { context: { source: this.description, offset: end } },
        );
      }
      // After a restart, a replayed batch may end later than the clock says: never hand out a smaller offset.
      run.lastTimeMs = Math.max(run.lastTimeMs, run.creationTimeMs + endSeconds * 1000);

      const rangeStart = valueAtSecond(startSeconds, this.rowsPerSecond, this.rampUpTimeSeconds);
      const rangeEnd = valueAtSecond(endSeconds, this.rowsPerSecond, this.rampUpTimeSeconds);
      if (rangeStart === rangeEnd) {
        subscriber.complete();
        return;
      }
      const localStartTimeMs = run.creationTimeMs + startSeconds * 1000;
      const relativeMsPerValue = ((endSeconds - startSeconds) * 1000) / (rangeEnd - rangeStart);
      const n = this.numPartitions;
      for (let p = 0; p < n; p++) {
        for (let value = rangeStart + p; value < rangeEnd; value += n) {
          if (subscriber.closed) return;
          const timestamp = new Date(Math.round((value - rangeStart) * relativeMsPerValue) + localStartTimeMs);
          subscriber.next({ timestamp, value });
        }
      }
      subscriber.complete();
    });
  }

  async commit(end: Offset): Promise<void> {
    this.toSeconds(end);
  }

  async stop(): Promise<void> {
    this.run = undefined;
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    const run = this.opened();
    run.availableNowEnd = this.secondsNow(run);
  }

  private secondsNow(run: RateRun): number {
    run.lastTimeMs = Math.max(run.lastTimeMs, run.clock.now());
    return Math.floor((run.lastTimeMs - run.creationTimeMs) / 1000);
  }

  private opened(): RateRun {
    if (!this.run) {
      throw new WeirError(ErrorCodes.SOURCE_ERROR, `${this.description}: used before open() or after stop()`, {
        context: { source: this.description },
      });
    }
    return this.run;
  }

  private toSeconds(offset: Offset): number {
    return toLongOffset(offset, this.description, 0, 0);
  }
}

/** Reads `<metadataPath>/0`, or writes `clock.now()` there on the first run of the query. */
async function readOrCreateCreationTime(context: SourceContext, source: string): Promise<number> {
  const file = path.join(context.metadataPath, CREATION_TIME_FILE);
  const existing = await readFileIfExists(file);
  if (existing !== undefined) return decodeCreationTime(existing, file, source);
  const creationTimeMs = context.clock.now();
  await mkdirsDurably(context.metadataPath);
  const written = await writeFileDurably(file, encodeLogFile(METADATA_VERSION, [JSON.stringify(creationTimeMs)]), {
    overwrite: false,
  });
  if (written) return creationTimeMs;
  // Someone wrote it between our read and our write: theirs wins, as in Spark's metadata log.
  return decodeCreationTime(await fs.readFile(file), file, source);
}


function decodeCreationTime(data: Buffer, file: string, source: string): number {
  const decoded = decodeLogFile(data, METADATA_VERSION);
  if (decoded.kind === 'unsupportedVersion') {
    throw new WeirError(
      ErrorCodes.CHECKPOINT_UNSUPPORTED_VERSION,
      `${file}: written by log version ${decoded.version}, this weir reads up to ${decoded.maxVersion}`,
      { context: { path: file, source } },
    );
  }
  if (decoded.kind !== 'ok') {
    throw new WeirError(ErrorCodes.CHECKPOINT_CORRUPT, `${file}: the rate source start time is ${decoded.kind}: ${decoded.reason}`, {
      context: { path: file, source },
    });
  }
  const line = decoded.lines[0] ?? '';
  const creationTimeMs = /^-?\d+$/.test(line) ? Number(line) : NaN;
  if (decoded.lines.length !== 1 || !Number.isSafeInteger(creationTimeMs)) {
    throw new WeirError(ErrorCodes.CHECKPOINT_CORRUPT, `${file}: expected one line with the start time in ms`, {
      context: { path: file, source },
    });
  }
  return creationTimeMs;
}
