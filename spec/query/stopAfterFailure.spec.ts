/**
 * A run that failed never ends in a clean stop (issue #16, item 3): `stop()` rejects with the query's exception
 * unless the caller was given it already, so a program that only calls `stop()` does not exit 0 after a batch
 * that could not commit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { map } from 'rxjs';
import { ErrorCodes } from '../../lib/errors';
import { startQuery } from '../../lib/query/startQuery';
import type { StreamingQuery } from '../../lib/query/StreamingQuery';
import { rows } from '../../operators';
import { noopSink } from '../../sinks';
import { rateMicroBatch } from '../../sources';

describe('stop() after a failed run', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'weir-stop-failed-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const failingQuery = () =>
    startQuery({
      source: rateMicroBatch({ rowsPerBatch: 1 }),
      pipeline: [
        rows(
          map(() => {
            throw new Error('boom');
          }),
        ),
      ],
      sink: noopSink(),
      checkpointLocation: dir,
    });

  async function untilInactive(query: StreamingQuery): Promise<void> {
    while (query.isActive) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it('rejects with the exception when nothing reported the failure yet, and a second stop() resolves', async () => {
    const query = await failingQuery();
    await untilInactive(query);
    const stopped = await query.stop().then(
      () => 'resolved',
      (e: unknown) => e,
    );
    expect(stopped).toMatchObject({ code: ErrorCodes.STREAMING_QUERY_EXCEPTION, cause: { code: ErrorCodes.OPERATOR_ERROR } });
    await expect(query.stop()).resolves.toBeUndefined();
    await expect(query.awaitTermination()).rejects.toBe(stopped); // awaitTermination always reports it
  });

  it('resolves when awaitTermination (or the exception property) already gave the caller the failure', async () => {
    const query = await failingQuery();
    await expect(query.awaitTermination()).rejects.toMatchObject({ code: ErrorCodes.STREAMING_QUERY_EXCEPTION });
    await expect(query.stop()).resolves.toBeUndefined();

    rmSync(dir, { recursive: true, force: true });
    const second = await failingQuery();
    await untilInactive(second);
    expect(second.exception).not.toBeNull();
    await expect(second.stop()).resolves.toBeUndefined();
  });

  it('a query stopped without a failure resolves', async () => {
    const query = await startQuery({ source: rateMicroBatch({ rowsPerBatch: 1 }), sink: noopSink(), checkpointLocation: dir });
    await expect(query.stop()).resolves.toBeUndefined();
    expect(query.exception).toBeNull();
  });
});
