/**
 * A StreamTest-style DSL (Spark's StreamTest): a query is driven by a list of actions (add data, check answer,
 * stop, start, assert, expect failure) against a memory sink and one checkpoint that survives restarts.
 *
 * Invariant: every check waits until the query processed all data available at that point
 * (`processAllAvailable`), so a test never sleeps on real time; a failing action throws an error that lists
 * every action with the failing one marked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { OperatorFunction } from 'rxjs';
import type { Clock, MicroBatch, OutputMode, Row, Source, StateStoreProvider } from '../contracts';
import { isWeirError } from '../errors';
import type { TriggerSpec } from '../engine/Trigger';
import { startQuery } from '../query/startQuery';
import type { StreamingQuery } from '../query/StreamingQuery';
import { StreamingQueryManager } from '../query/StreamingQueryManager';
import { ManualClock } from '../time/ManualClock';
import { MemorySink, memorySink } from '../../connectors/memory/memorySink';

/** Something rows can be added to (MemoryStream). */
export interface AddableSource<T> {
  addData(...rows: T[]): unknown;
}

/** The query under test. */
export interface StreamTestQuery<I, O> {
  readonly source: Source<I>;
  readonly pipeline?: OperatorFunction<MicroBatch<I>, MicroBatch<O>> | ReadonlyArray<OperatorFunction<any, any>>;
  readonly outputMode?: OutputMode;
  readonly trigger?: TriggerSpec;
  readonly clock?: Clock;
  readonly conf?: Readonly<Record<string, string>>;
  readonly stateStoreProvider?: (statePath: string) => StateStoreProvider;
  /** Keep the checkpoint here instead of a fresh temp folder (deleted afterwards only when temp). */
  readonly checkpointLocation?: string;
}

/** What actions see. */
export interface StreamTestState<O = Row> {
  query: StreamingQuery | undefined;
  readonly sink: MemorySink<O>;
  readonly checkpointLocation: string;
  readonly manager: StreamingQueryManager;
  /** Rows the sink had at the last CheckNewAnswer. */
  seenRows: number;
  /** The clock of the running query when it is a ManualClock driving a processing-time trigger. */
  manualClock: ManualClock | undefined;
  start(overrides?: { trigger?: TriggerSpec; clock?: Clock }): Promise<void>;
}

/** One step of a stream test. */
export interface StreamAction<O = Row> {
  readonly description: string;
  run(state: StreamTestState<O>): Promise<void>;
}

function rowsText(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n');
}

/** Multiset equality of rows (deep equality, order ignored). */
export function sameRows(actual: readonly unknown[], expected: readonly unknown[]): boolean {
  if (actual.length !== expected.length) return false;
  const left = [...actual];
  for (const e of expected) {
    const i = left.findIndex((a) => isDeepStrictEqual(a, e));
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

async function settle<O>(state: StreamTestState<O>): Promise<void> {
  if (state.query === undefined) throw new Error('the stream is not running (StartStream first)');
  // On a manual clock the test moves time itself (AdvanceManualClock); waiting for an idle trigger would hang.
  if (state.manualClock !== undefined) {
    if (state.query.exception) throw state.query.exception;
    return;
  }
  await state.query.processAllAvailable();
}

/** Adds rows to a source (one addData call = one source batch). */
export function AddData<T>(source: AddableSource<T>, ...rows: T[]): StreamAction<any> {
  return {
    description: `AddData(${rows.map((r) => JSON.stringify(r)).join(', ')})`,
    run: async () => {
      source.addData(...rows);
    },
  };
}

/** Waits for all available data, then checks that the sink holds exactly `expected` (any order). */
export function CheckAnswer<O>(...expected: O[]): StreamAction<O> {
  return {
    description: `CheckAnswer(${expected.length} rows)`,
    run: async (state) => {
      await settle(state);
      const actual = state.sink.rows();
      if (!sameRows(actual, expected)) {
        throw new Error(`Results do not match.\n== Expected ==\n${rowsText(expected)}\n== Actual ==\n${rowsText(actual)}`);
      }
      state.seenRows = actual.length;
    },
  };
}

/** Checks only the rows of the last batch the sink received. */
export function CheckLastBatch<O>(...expected: O[]): StreamAction<O> {
  return {
    description: `CheckLastBatch(${expected.length} rows)`,
    run: async (state) => {
      await settle(state);
      const actual = state.sink.lastBatch() ?? [];
      if (!sameRows(actual, expected)) {
        throw new Error(`Last batch does not match.\n== Expected ==\n${rowsText(expected)}\n== Actual ==\n${rowsText(actual)}`);
      }
      state.seenRows = state.sink.rows().length;
    },
  };
}

/** Checks the rows the sink received since the previous check. */
export function CheckNewAnswer<O>(...expected: O[]): StreamAction<O> {
  return {
    description: `CheckNewAnswer(${expected.length} rows)`,
    run: async (state) => {
      await settle(state);
      const all = state.sink.rows();
      const actual = all.slice(state.seenRows);
      if (!sameRows(actual, expected)) {
        throw new Error(`New rows do not match.\n== Expected ==\n${rowsText(expected)}\n== Actual ==\n${rowsText(actual)}`);
      }
      state.seenRows = all.length;
    },
  };
}

/** Stops the query (graceful). */
export const StopStream: StreamAction<any> = {
  description: 'StopStream',
  run: async (state) => {
    if (state.query === undefined) throw new Error('the stream is not running');
    await state.query.stop();
    if (state.query.exception) throw state.query.exception;
    state.query = undefined;
  },
};

/** (Re)starts the query on the same checkpoint and sink. */
export function StartStream(overrides: { trigger?: TriggerSpec; clock?: Clock } = {}): StreamAction<any> {
  return {
    description: `StartStream(${overrides.trigger ? JSON.stringify(overrides.trigger) : ''})`,
    run: async (state) => {
      if (state.query?.isActive) throw new Error('the stream is already running');
      await state.start(overrides);
    },
  };
}

/** Asserts a condition on the running (or last) query. */
export function AssertOnQuery(
  check: (query: StreamingQuery) => boolean | void | Promise<boolean | void>,
  message = 'condition',
): StreamAction<any> {
  return {
    description: `AssertOnQuery(${message})`,
    run: async (state) => {
      if (state.query === undefined) throw new Error('no query to assert on');
      const ok = await check(state.query);
      if (ok === false) throw new Error(`Assertion failed: ${message}`);
    },
  };
}

/** Runs any code against the test state. */
export function Execute<O = Row>(f: (state: StreamTestState<O>) => unknown, description = 'Execute'): StreamAction<O> {
  return { description, run: async (state) => void (await f(state)) };
}

/**
 * Advances the query's ManualClock by `ms`, then waits until the trigger loop sleeps on the clock again (the
 * batch the new time released has finished) or the query terminated.
 */
export function AdvanceManualClock(ms: number): StreamAction<any> {
  return {
    description: `AdvanceManualClock(${ms})`,
    run: async (state) => {
      const clock = state.manualClock;
      const query = state.query;
      if (clock === undefined || query === undefined) {
        throw new Error('AdvanceManualClock needs a running query with a ManualClock and a processing-time trigger');
      }
      const waiting = clock.whenWaitingAfter(clock.now() + ms);
      clock.advance(ms);
      await Promise.race([waiting, query.awaitTermination().catch(() => true)]);
    },
  };
}

/** Expects the query to fail; `code` is matched against the failure or any error in its cause chain. */
export function ExpectFailure(expected: { code?: string; message?: string | RegExp } = {}): StreamAction<any> {
  return {
    description: `ExpectFailure(${expected.code ?? ''})`,
    run: async (state) => {
      if (state.query === undefined) throw new Error('no query to expect a failure from');
      let error: unknown;
      try {
        await state.query.awaitTermination();
      } catch (e) {
        error = e;
      }
      if (error === undefined) throw new Error('Expected the query to fail, but it terminated normally');
      const chain: unknown[] = [];
      for (let e: unknown = error; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) chain.push(e);
      if (expected.code !== undefined && !chain.some((e) => isWeirError(e) && e.code === expected.code)) {
        throw new Error(`Expected a failure with code ${expected.code}, got ${String((error as Error).message)}`);
      }
      if (expected.message !== undefined) {
        const text = chain.map((e) => String((e as Error)?.message ?? e)).join('\n');
        const ok = typeof expected.message === 'string' ? text.includes(expected.message) : expected.message.test(text);
        if (!ok) throw new Error(`Expected a failure message matching ${String(expected.message)}, got:\n${text}`);
      }
      state.query = undefined;
    },
  };
}

/**
 * Runs a stream test: the query starts first (unless the first action is StartStream), actions run in order,
 * and the query is stopped at the end.
 *
 * @example
 * const input = new MemoryStream<{ value: number }>()
 * await testStream({ source: input, pipeline: rows(map((r) => ({ value: r.value + 1 }))) }, [
 *   AddData(input, { value: 1 }, { value: 2 }),
 *   CheckAnswer({ value: 2 }, { value: 3 }),
 *   StopStream,
 *   AddData(input, { value: 3 }),
 *   StartStream(),
 *   CheckAnswer({ value: 2 }, { value: 3 }, { value: 4 }),
 * ])
 */
export async function testStream<I, O = Row>(
  query: StreamTestQuery<I, O>,
  actions: ReadonlyArray<StreamAction<O>>,
): Promise<StreamTestState<O>> {
  const temp = query.checkpointLocation === undefined;
  const checkpointLocation = query.checkpointLocation ?? mkdtempSync(path.join(tmpdir(), 'weir-streamtest-'));
  const manager = new StreamingQueryManager();
  const sink = memorySink<O>({ name: `streamtest_${path.basename(checkpointLocation).replace(/\W/g, '_')}` });
  const state: StreamTestState<O> = {
    query: undefined,
    sink,
    checkpointLocation,
    manager,
    seenRows: 0,
    manualClock: undefined,
    async start(overrides = {}) {
      const clock = overrides.clock ?? query.clock;
      const trigger = overrides.trigger ?? query.trigger;
      this.manualClock = clock instanceof ManualClock && trigger !== undefined ? clock : undefined;
      this.query = await startQuery<I, O>({
        source: query.source,
        ...(query.pipeline ? { pipeline: query.pipeline } : {}),
        sink,
        outputMode: query.outputMode ?? 'append',
        ...(overrides.trigger ?? query.trigger ? { trigger: overrides.trigger ?? query.trigger } : {}),
        ...(overrides.clock ?? query.clock ? { clock: overrides.clock ?? query.clock } : {}),
        ...(query.conf ? { conf: query.conf } : {}),
        ...(query.stateStoreProvider ? { stateStoreProvider: query.stateStoreProvider } : {}),
        checkpointLocation,
        manager,
      });
    },
  };
  const steps = actions[0]?.description.startsWith('StartStream') ? actions : [StartStream(), ...actions];
  try {
    for (let i = 0; i < steps.length; i += 1) {
      try {
        await steps[i]!.run(state);
      } catch (e) {
        const log = steps.map((a, j) => `${j === i ? '=> ' : '   '}${a.description}`).join('\n');
        const err = new Error(`${(e as Error)?.message ?? String(e)}\n\n== Progress ==\n${log}`, { cause: e });
        throw err;
      }
    }
  } finally {
    if (state.query?.isActive) await state.query.stop();
    if (temp) rmSync(checkpointLocation, { recursive: true, force: true });
  }
  return state;
}
