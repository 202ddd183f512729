import * as sinks from '../../sinks';
import type { Sink } from '../../lib/contracts';

describe('weir/sinks entry', () => {
  it('exports every built-in sink factory, its class and showString', () => {
    expect(Object.keys(sinks).sort()).toEqual(
      [
        'ConsoleSink',
        'ForeachBatchSink',
        'ForeachSink',
        'MemorySink',
        'NoopSink',
        'ObservableSink',
        'consoleSink',
        'foreachBatchSink',
        'foreachSink',
        'memorySink',
        'noopSink',
        'observableSink',
        'showString',
      ].sort(),
    );
  });

  it('memory, console and observable sinks may run on a temporary checkpoint; the others need one', () => {
    expect(sinks.memorySink({ name: 't' }).useTempCheckpointLocation).toBe(true);
    expect(sinks.consoleSink({ write: () => undefined }).useTempCheckpointLocation).toBe(true);
    expect(sinks.observableSink().useTempCheckpointLocation).toBe(true);
    const needCheckpoint: Sink[] = [
      sinks.noopSink(),
      sinks.foreachSink({ process: () => undefined }),
      sinks.foreachBatchSink(() => undefined),
    ];
    for (const sink of needCheckpoint) expect(sink.useTempCheckpointLocation ?? false).toBe(false);
  });
});
