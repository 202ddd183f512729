/**
 * Test support: a query on a ManualClock with a 1-second processing-time trigger, driven one trigger at a time
 * (as the golden replay does), with a sink that records each batch's rows by batch id (a re-delivered batch
 * replaces its entry, so the record is what an idempotent sink would hold).
 */
import type { OperatorFunction } from 'rxjs';
import { Trigger } from '../../lib/engine/Trigger';
import type { Failpoint } from '../../lib/engine/MicroBatchExecution';
import { startQuery } from '../../lib/query/startQuery';
import type { StreamingQuery } from '../../lib/query/StreamingQuery';
import type { Row, Sink } from '../../lib/contracts';
import type { QueryInput } from '../../lib/query/startQuery';
import { ManualClock } from '../../lib/time/ManualClock';
import { LevelStateStoreProvider } from '../../lib/state';

export interface ClockedQuery {
  readonly query: StreamingQuery;
  readonly clock: ManualClock;
  /** Rows per executed batch id. */
  readonly batches: Map<number, Row[]>;
  /** Runs one trigger (advancing the clock by `ms`); resolves true when it executed a batch. */
  tick(ms?: number): Promise<boolean>;
  /** Ticks until a trigger runs no batch (at most `max` batches). */
  drain(max?: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startClockedQuery(options: {
  inputs: QueryInput[];
  pipeline: ReadonlyArray<OperatorFunction<any, any>>;
  outputMode: 'append' | 'update' | 'complete';
  checkpointLocation: string;
  clock?: ManualClock;
  batches?: Map<number, Row[]>;
  conf?: Record<string, string>;
  /** Crash hook at each step of the batch protocol (throw to kill the query there). */
  failpoint?: (point: Failpoint, batchId: number) => void;
}): Promise<ClockedQuery> {
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 0, 1));
  const batches = options.batches ?? new Map<number, Row[]>();
  const sink: Sink<Row> = {
    description: 'RecordingSink',
    addBatch: async (batchId, rows) => {
      batches.set(batchId, [...rows]);
    },
  };
  const query = await startQuery({
    inputs: options.inputs,
    pipeline: [...options.pipeline],
    sink,
    outputMode: options.outputMode,
    checkpointLocation: options.checkpointLocation,
    stateStoreProvider: (statePath) => new LevelStateStoreProvider(statePath),
    numRecentProgressUpdates: 1000,
    trigger: Trigger.ProcessingTime(1000),
    clock,
    ...(options.conf ? { conf: options.conf } : {}),
    ...(options.failpoint ? { failpoint: options.failpoint } : {}),
  });
  const failed = query.awaitTermination().then(
    () => new Error('the query stopped'),
    (e: unknown) => e as Error,
  );
  await Promise.race([clock.whenWaitingAfter(clock.now()), failed]);
  const tick = async (ms = 1000): Promise<boolean> => {
    const before = query.recentProgress.length;
    const next = clock.now() + ms;
    const idle = clock.whenWaitingAfter(next);
    clock.advance(ms);
    const outcome = await Promise.race([idle.then(() => undefined), failed]);
    if (outcome instanceof Error) throw outcome;
    return query.recentProgress.length > before;
  };
  return {
    query,
    clock,
    batches,
    tick,
    async drain(max = 100) {
      let n = 0;
      while (n < max && (await tick())) n += 1;
      return n;
    },
    stop: () => query.stop(),
  };
}
