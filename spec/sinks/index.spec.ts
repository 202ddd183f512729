import * as sinks from '../../sinks';
import type { Sink } from '../../lib/contracts';

describe('weir/sinks entry', () => {
  it('exports every built-in sink factory, its class and showString', () => {
    expect(Object.keys(sinks).sort()).toEqual(
      [
        'ConsoleSink',
        'FileSink',
        'ForeachBatchSink',
        'ForeachSink',
        'KafkaSink',
        'MemorySink',
        'NoopSink',
        'ObservableSink',
        'consoleSink',
        'fileSink',
        'foreachBatchSink',
        'foreachSink',
        'kafkaSink',
        'memorySink',
        'noopSink',
        'observableSink',
        'showString',
      ].sort(),
    );
  });

  it('every built-in sink may run on a temporary checkpoint, as Spark 4.0.1 allows (the file sink will not)', () => {
    const all: Sink[] = [
      sinks.memorySink({ name: 't' }),
      sinks.consoleSink({ write: () => undefined }),
      sinks.observableSink(),
      sinks.noopSink(),
      sinks.foreachSink({ process: () => undefined }),
      sinks.foreachBatchSink(() => undefined),
    ];
    for (const sink of all) expect(sink.useTempCheckpointLocation).toBe(true);
  });
});
