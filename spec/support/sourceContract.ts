/**
 * The shared contract suite every `Source` runs (abstract-level style: one suite, many implementations).
 *
 * Invariant: what the engine relies on is asserted here once, for every source: offsets are JSON values that
 * round-trip, `latestOffset` moves only when data is there, `read(start, end)` replays the same rows, consecutive
 * ranges concatenate to their union, and a source can be stopped and opened again.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { firstValueFrom, take, toArray, type Observable } from 'rxjs';
import type { Offset, ReadLimit, RowChunks, Source, SourceContext } from '../../lib/contracts';
import { ManualClock } from './ManualClock';

/** One source under test, with a way to make more data available. */
export interface SourceContractFixture<T> {
  readonly source: Source<T>;
  /** The clock handed to the source in its context. */
  readonly clock: ManualClock;
  /** Makes at least one more row available after `open` (add data, advance the clock, push a value). */
  produce(): void | Promise<void>;
}

/** What an implementation can do (abstract-level's `supports` manifest). */
export interface SourceContractSupports<T = unknown> {
  /** A second `open` on the same metadata folder replays the ranges of the first run. Default true. */
  replayAcrossRestart?: boolean;
  /** `latestOffset` has new data on every call without `produce` (rate-micro-batch). Default false. */
  alwaysHasData?: boolean;
  /** `produce` makes the source call `notifyDataAvailable` (push sources). Default false. */
  notifiesOnData?: boolean;
  /**
   * Rows of a range come partition by partition (rate sources with `numPartitions > 1`), so consecutive ranges
   * concatenate to their union only as a multiset. Default false: the order must match too.
   */
  partitioned?: boolean;
  /**
   * The part of a row that does not depend on how offsets were cut into ranges, compared by the union test.
   * rate-micro-batch stamps a whole range with its start's timestamp, so only `value` is split-invariant there.
   * Default: the whole row.
   */
  splitInvariant?: (row: T) => unknown;
}

const ALL: ReadLimit = { kind: 'all' };

/** Collects every row of a read. */
export function collect<T>(rows$: Observable<T>): Promise<T[]> {
  return firstValueFrom(rows$.pipe(toArray()));
}

/** JSON round trip, as offsets do through `offsets/N`. */
function viaJson(offset: Offset): Offset {
  return JSON.parse(JSON.stringify(offset)) as Offset;
}

/**
 * Registers the Source contract tests for one implementation.
 *
 * @example
 * ```ts
 * sourceContract('MemoryStream', () => {
 *   const source = new MemoryStream<{ n: number }>();
 *   let n = 0;
 *   return { source, clock: new ManualClock(0), produce: () => void source.addData({ n: n++ }, { n: n++ }) };
 * });
 * ```
 */
export function sourceContract<T>(
  name: string,
  makeFixture: () => SourceContractFixture<T> | Promise<SourceContractFixture<T>>,
  supports: SourceContractSupports<T> = {},
): void {
  const {
    replayAcrossRestart = true,
    alwaysHasData = false,
    notifiesOnData = false,
    partitioned = false,
    splitInvariant = (row: T): unknown => row,
  } = supports;
  /** The split-invariant part of rows, in a canonical order when the source is partitioned. */
  const comparable = (rows: T[]): unknown[] => {
    const parts = rows.map(splitInvariant);
    if (!partitioned) return parts;
    return parts.sort((a, b) => {
      const x = JSON.stringify(a);
      const y = JSON.stringify(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  };

  describe(`${name} (Source contract)`, () => {
    let dir: string;
    let opened: Source<T>[];

    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-source-contract-'));
      opened = [];
    });

    afterEach(async () => {
      for (const source of opened) await source.stop();
      await fs.rm(dir, { recursive: true, force: true });
    });

    async function contextFor(clock: ManualClock, onData: () => void = () => {}): Promise<SourceContext> {
      const metadataPath = path.join(dir, 'sources', '0');
      await fs.mkdir(metadataPath, { recursive: true });
      return { metadataPath, sourceIndex: 0, clock, notifyDataAvailable: onData };
    }

    async function openFixture(onData?: () => void): Promise<SourceContractFixture<T>> {
      const fixture = await makeFixture();
      await fixture.source.open(await contextFor(fixture.clock, onData));
      opened.push(fixture.source);
      return fixture;
    }

    /** Offsets o0 (initial) < o1 < o2, with data produced before each step. */
    async function threeOffsets(f: SourceContractFixture<T>): Promise<[Offset, Offset, Offset]> {
      const o0 = await f.source.initialOffset();
      await f.produce();
      const o1 = await f.source.latestOffset(o0, ALL);
      await f.produce();
      const o2 = await f.source.latestOffset(o1, ALL);
      return [o0, o1, o2];
    }

    it('has a description', async () => {
      const { source } = await makeFixture();
      expect(typeof source.description).toBe('string');
      expect(source.description.length).toBeGreaterThan(0);
    });

    it('has a stable, JSON round-trippable initial offset', async () => {
      const { source } = await openFixture();
      const initial = await source.initialOffset();
      expect(viaJson(initial)).toEqual(initial);
      expect(await source.initialOffset()).toEqual(initial);
    });

    it('moves latestOffset past the start once data is produced', async () => {
      const f = await openFixture();
      const o0 = await f.source.initialOffset();
      await f.produce();
      const o1 = await f.source.latestOffset(o0, ALL);
      expect(o1).not.toEqual(o0);
      expect((await collect(f.source.read(o0, o1))).length).toBeGreaterThan(0);
    });

    if (!alwaysHasData) {
      it('returns start from latestOffset when there is no new data', async () => {
        const f = await openFixture();
        const o0 = await f.source.initialOffset();
        expect(await f.source.latestOffset(o0, ALL)).toEqual(o0);
        await f.produce();
        const o1 = await f.source.latestOffset(o0, ALL);
        expect(await f.source.latestOffset(o1, ALL)).toEqual(o1);
      });
    }

    it('replays read(start, end): the same rows in the same order', async () => {
      const f = await openFixture();
      const [o0, o1, o2] = await threeOffsets(f);
      const first = await collect(f.source.read(o0, o2));
      const second = await collect(f.source.read(o0, o2));
      expect(first.length).toBeGreaterThan(0);
      expect(second).toEqual(first);
      expect(await collect(f.source.read(o1, o2))).toEqual(await collect(f.source.read(o1, o2)));
    });

    it('gives the same rows from readAll (when it has the bulk form) as from read', async () => {
      const f = await openFixture();
      const [o0, o1, o2] = await threeOffsets(f);
      if (f.source.readAll === undefined) return;
      expect(await f.source.readAll(o0, o2)).toEqual(await collect(f.source.read(o0, o2)));
      expect(await f.source.readAll(o1, o1)).toEqual([]);
    });

    it('gives the same rows from readChunks (when it has chunks) as from read, again on every visit', async () => {
      const f = await openFixture();
      const [o0, o1, o2] = await threeOffsets(f);
      if (f.source.readChunks === undefined) return;
      const rowsOf = (chunks: RowChunks<unknown>): unknown[] => {
        const out: unknown[] = [];
        chunks.forEachChunk((rows) => out.push(...rows));
        return out;
      };
      const chunks = await f.source.readChunks(o0, o2);
      const expected = await collect(f.source.read(o0, o2));
      expect(rowsOf(chunks)).toEqual(expected);
      expect(rowsOf(chunks)).toEqual(expected);
      expect(rowsOf(await f.source.readChunks(o1, o1))).toEqual([]);
    });

    it('reads nothing for an empty range', async () => {
      const f = await openFixture();
      const [, o1] = await threeOffsets(f);
      expect(await collect(f.source.read(o1, o1))).toEqual([]);
    });

    it('concatenates consecutive ranges to the union', async () => {
      const f = await openFixture();
      const [o0, o1, o2] = await threeOffsets(f);
      const a = await collect(f.source.read(o0, o1));
      const b = await collect(f.source.read(o1, o2));
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      expect(comparable([...a, ...b])).toEqual(comparable(await collect(f.source.read(o0, o2))));
    });

    it('accepts JSON round-tripped offsets as start and end', async () => {
      const f = await openFixture();
      const [o0, o1, o2] = await threeOffsets(f);
      for (const o of [o0, o1, o2]) expect(viaJson(o)).toEqual(o);
      expect(await collect(f.source.read(viaJson(o0), viaJson(o1)))).toEqual(await collect(f.source.read(o0, o1)));
      expect(await f.source.latestOffset(viaJson(o2), ALL)).toEqual(await f.source.latestOffset(o2, ALL));
    });

    it('stops emitting when the reader unsubscribes', async () => {
      const f = await openFixture();
      const [o0, , o2] = await threeOffsets(f);
      const all = await collect(f.source.read(o0, o2));
      expect(all.length).toBeGreaterThanOrEqual(2);
      expect(await collect(f.source.read(o0, o2).pipe(take(1)))).toEqual(all.slice(0, 1));
    });

    it('still reads an uncommitted range after committing the one before it', async () => {
      const f = await openFixture();
      const [o0, o1, o2] = await threeOffsets(f);
      const later = await collect(f.source.read(o1, o2));
      await collect(f.source.read(o0, o1));
      await f.source.commit(o1);
      expect(await collect(f.source.read(o1, o2))).toEqual(later);
    });

    it('stops, and opens again for a new run', async () => {
      const f = await openFixture();
      const [o0, o1] = await threeOffsets(f);
      const rows = await collect(f.source.read(o0, o1));
      await f.source.commit(o1);
      await f.source.stop();
      await f.source.open(await contextFor(f.clock));
      if (replayAcrossRestart) {
        expect(await collect(f.source.read(o0, o1))).toEqual(rows);
      }
      await f.produce();
      const o2 = await f.source.latestOffset(o1, ALL);
      expect(o2).not.toEqual(o1);
      const next = await collect(f.source.read(o1, o2));
      expect(next.length).toBeGreaterThan(0);
    });

    if (notifiesOnData) {
      it('calls notifyDataAvailable when data arrives', async () => {
        let calls = 0;
        const f = await openFixture(() => {
          calls += 1;
        });
        await f.produce();
        expect(calls).toBeGreaterThan(0);
      });
    }
  });
}
