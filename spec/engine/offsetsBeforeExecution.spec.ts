/**
 * The engine reads a new batch's rows while it writes offsets/N (the write mostly waits for fsync), but runs
 * nothing of the batch (operators, sink, state) before offsets/N is durable: a restart must find the batch it
 * would re-run.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { map } from 'rxjs';
import type { MicroBatch, Row, Source } from '../../lib/contracts';
import { startQuery } from '../../lib/query/startQuery';
import { untilBatch } from '../../lib/testing';
import { foreachBatchSink } from '../../sinks';
import { rateMicroBatch } from '../../sources';

describe('offsets/N and the execution of batch N', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'weir-offsets-first-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('offsets/N exists when the operators and the sink of batch N run', async () => {
    const offsetsFile = (batchId: number) => path.join(dir, 'offsets', String(batchId));
    const atOperators: boolean[] = [];
    const atSink: boolean[] = [];
    const query = await startQuery({
      source: rateMicroBatch({ rowsPerBatch: 1000 }),
      pipeline: map((batch: MicroBatch<Row>) => {
        atOperators.push(existsSync(offsetsFile(batch.batchId)));
        return batch;
      }),
      sink: foreachBatchSink((_rows, batchId) => {
        atSink.push(existsSync(offsetsFile(batchId)));
      }),
      checkpointLocation: dir,
    });
    try {
      await untilBatch(query, 4);
    } finally {
      await query.stop();
    }
    expect(atOperators.length).toBeGreaterThanOrEqual(5);
    expect(atOperators.every(Boolean)).toBe(true);
    expect(atSink.every(Boolean)).toBe(true);
  });

  it('a trigger that fails after the read started stops the sources only once the read is over', async () => {
    const events: string[] = [];
    const source: Source<Row> = {
      description: 'slow',
      async open() {},
      async initialOffset() {
        return 0;
      },
      async latestOffset() {
        return 1;
      },
      read: () => {
        throw new Error('readAll is used');
      },
      async readAll() {
        events.push('read started');
        await new Promise((resolve) => setTimeout(resolve, 100));
        events.push('read ended');
        return [{ v: 1 }];
      },
      async commit() {},
      async stop() {
        events.push('stopped');
      },
    };
    const query = await startQuery({
      source,
      sink: foreachBatchSink(() => undefined),
      checkpointLocation: dir,
      failpoint: (point) => {
        if (point === 'afterOffsetsWritten') throw new Error('injected');
      },
    });
    await expect(query.awaitTermination()).rejects.toThrow(/injected/);
    expect(events).toEqual(['read started', 'read ended', 'stopped']);
  });
});
