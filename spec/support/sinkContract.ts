/**
 * The shared contract suite every `Sink` runs (abstract-level's shared test suite, for sinks).
 *
 * Invariant: a sink that passes keeps `Sink`'s contract from lib/contracts.ts: it describes itself, goes through
 * open → addBatch* → close (also close(error)), accepts no-data batches in every mode it supports, and a batch
 * re-delivered with the same id and rows either leaves the output as if delivered once (`idempotent` sinks) or
 * reaches the user again with the same batch id and rows (`atLeastOnce` sinks, whose user code dedups by id).
 */
import type { Clock, OutputMode, Row, Sink, SinkBatchInfo, SinkContext } from '../../lib/contracts';

const ALL_MODES: readonly OutputMode[] = ['append', 'update', 'complete'];

/** One batch as the user side of an at-least-once sink saw it. */
export interface SinkDelivery {
  readonly batchId: number;
  /** The rows the user code got; leave out when the sink's output does not show them (console). */
  readonly rows?: readonly unknown[];
}

/** A fresh sink plus a view of what its user observes. */
export interface SinkUnderTest {
  readonly sink: Sink<Row>;
  /** Idempotent sinks: what a user of the sink can observe now (a table, emitted batches, counters). */
  output?(): unknown;
  /** At-least-once sinks: the batches the user code received, in call order. */
  deliveries?(): readonly SinkDelivery[];
}

/** Options of {@link sinkContract}. */
export interface SinkContractOptions {
  /** Shown in the describe block. */
  readonly name: string;
  /** Makes a fresh sink for each test. */
  readonly create: () => SinkUnderTest;
  /** `idempotent`: re-delivery leaves the output as once; `atLeastOnce`: re-delivery reaches the user again. */
  readonly delivery: 'idempotent' | 'atLeastOnce';
}

/** A clock that never moves, for sink contexts. */
export const frozenClock: Clock = {
  now: () => 0,
  waitUntil: async () => undefined,
};

/** A `SinkContext` for tests. */
export function testSinkContext(overrides: Partial<SinkContext> = {}): SinkContext {
  return {
    queryId: 'query-1',
    runId: 'run-1',
    queryName: 'contract',
    checkpointLocation: '/tmp/weir-sink-contract',
    clock: frozenClock,
    ...overrides,
  };
}

/** A `SinkBatchInfo` for batch `batchId` in `outputMode`. */
export function testBatchInfo(
  batchId: number,
  outputMode: OutputMode = 'append',
  overrides: Partial<SinkBatchInfo> = {},
): SinkBatchInfo {
  return {
    batchId,
    outputMode,
    batchTimestampMs: 1_700_000_000_000 + batchId * 1000,
    watermarkMs: 0,
    queryId: 'query-1',
    runId: 'run-1',
    queryName: 'contract',
    ...overrides,
  };
}

/** The rows of batch `batchId` in the suite: deterministic, so a re-delivery hands in equal rows. */
export function contractRows(batchId: number, count = 3): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    id: batchId * 100 + i,
    word: `w${batchId}-${i}`,
    ts: new Date(Date.UTC(2024, 0, 1, 0, 0, batchId, i)),
  }));
}

/** A deep copy of an observed output, so later changes of the sink do not alter the snapshot. */
function snapshot(value: unknown): unknown {
  return structuredClone(value);
}

/**
 * Registers the Sink contract tests for one implementation.
 *
 * @example
 * ```ts
 * sinkContract({
 *   name: 'memorySink',
 *   delivery: 'idempotent',
 *   create: () => {
 *     const sink = memorySink({ name: 't' });
 *     return { sink, output: () => sink.rows() };
 *   },
 * });
 * ```
 */
export function sinkContract(options: SinkContractOptions): void {
  const { name, create, delivery } = options;

  async function opened(): Promise<SinkUnderTest> {
    const subject = create();
    await subject.sink.open?.(testSinkContext());
    return subject;
  }

  async function deliver(subject: SinkUnderTest, batchIds: readonly number[], mode: OutputMode): Promise<void> {
    for (const batchId of batchIds) {
      await subject.sink.addBatch(batchId, contractRows(batchId), testBatchInfo(batchId, mode));
    }
  }

  /** `close` is optional: a sink without it closes trivially. */
  async function closeOf(subject: SinkUnderTest, ...error: [unknown?]): Promise<void> {
    await subject.sink.close?.(...error);
  }

  function modes(subject: SinkUnderTest): readonly OutputMode[] {
    return subject.sink.supportedOutputModes ?? ALL_MODES;
  }

  describe(`Sink contract: ${name}`, () => {
    it('describes itself and its output modes', () => {
      const { sink } = create();
      expect(typeof sink.description).toBe('string');
      expect(sink.description.length).toBeGreaterThan(0);
      if (sink.useTempCheckpointLocation !== undefined) expect(typeof sink.useTempCheckpointLocation).toBe('boolean');
      if (sink.supportedOutputModes !== undefined) {
        expect(sink.supportedOutputModes.length).toBeGreaterThan(0);
        for (const mode of sink.supportedOutputModes) expect(ALL_MODES).toContain(mode);
      }
    });

    it('goes through open, addBatch and close', async () => {
      const subject = await opened();
      await deliver(subject, [0, 1], 'append');
      await expect(closeOf(subject)).resolves.toBeUndefined();
    });

    it('accepts close(error) after a failed run', async () => {
      const subject = await opened();
      await deliver(subject, [0], 'append');
      await expect(closeOf(subject, new Error('query failed'))).resolves.toBeUndefined();
    });

    it('accepts a no-data batch in every output mode it supports', async () => {
      for (const mode of modes(create())) {
        const subject = await opened();
        await subject.sink.addBatch(0, [], testBatchInfo(0, mode));
        await subject.sink.addBatch(1, contractRows(1), testBatchInfo(1, mode));
        await subject.sink.addBatch(2, [], testBatchInfo(2, mode));
        await subject.sink.close?.();
      }
    });

    it('reports the rows of the last batch, or -1 when unknown', async () => {
      const subject = await opened();
      await deliver(subject, [0], 'append');
      const reported = subject.sink.lastBatchOutputRows;
      if (reported !== undefined) expect([contractRows(0).length, -1]).toContain(reported);
      await subject.sink.close?.();
    });

    if (delivery === 'idempotent') {
      it('leaves the output as once when a batch is re-delivered (every mode)', async () => {
        expect(create().output).toBeDefined();
        for (const mode of modes(create())) {
          const once = await opened();
          await deliver(once, [0], mode);
          const twice = await opened();
          await deliver(twice, [0, 0], mode);
          expect(twice.output?.()).toEqual(once.output?.());
        }
      });

      it('ignores re-delivered older batches after newer ones', async () => {
        for (const mode of modes(create())) {
          const once = await opened();
          await deliver(once, [0, 1, 2], mode);
          const replayed = await opened();
          await deliver(replayed, [0, 1, 1, 2, 0, 2], mode);
          expect(replayed.output?.()).toEqual(once.output?.());
        }
      });

      it('keeps no reference to the array it was handed', async () => {
        const subject = await opened();
        const rows = contractRows(0);
        await subject.sink.addBatch(0, rows, testBatchInfo(0));
        const before = snapshot(subject.output?.());
        rows.length = 0;
        rows.push({ id: -1 });
        expect(subject.output?.()).toEqual(before);
      });
    } else {
      it('hands a re-delivered batch to the user again, with the same batch id and rows', async () => {
        const subject = await opened();
        await deliver(subject, [0, 1, 1], 'append');
        const seen = subject.deliveries?.() ?? [];
        expect(seen.map((d) => d.batchId)).toEqual([0, 1, 1]);
        if (seen[1].rows !== undefined) {
          expect(seen[1].rows).toEqual(contractRows(1));
          expect(seen[2].rows).toEqual(seen[1].rows);
        }
      });
    }
  });
}
