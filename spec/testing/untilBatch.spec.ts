import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { map } from 'rxjs';
import { startQuery } from '../../lib/query/startQuery';
import { untilBatch } from '../../lib/testing';
import { rows } from '../../operators';
import { noopSink } from '../../sinks';
import { rateMicroBatch } from '../../sources';

describe('untilBatch', () => {
  const dirs: string[] = [];
  const checkpoint = (): string => {
    const d = mkdtempSync(path.join(tmpdir(), 'weir-until-batch-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('resolves once the query reported the batch', async () => {
    const query = await startQuery({ source: rateMicroBatch({ rowsPerBatch: 10 }), sink: noopSink(), checkpointLocation: checkpoint() });
    await untilBatch(query, 2);
    expect(query.lastProgress!.batchId).toBeGreaterThanOrEqual(2);
    await query.stop();
  });

  it("rejects with the query's exception when it fails first", async () => {
    const query = await startQuery({
      source: rateMicroBatch({ rowsPerBatch: 10 }),
      pipeline: [
        rows(
          map(() => {
            throw new Error('boom');
          }),
        ),
      ],
      sink: noopSink(),
      checkpointLocation: checkpoint(),
    });
    const failed = await untilBatch(query, 5).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed).toBeDefined();
    expect(failed).toBe(query.exception);
    await query.stop();
  });
});
