/**
 * Properties of the generated sources: however the offsets are cut into ranges, the values of consecutive
 * ranges are exactly 0, 1, 2, ... with no gap and no duplicate. numRuns comes from WEIR_PROPERTY_RUNS.
 */
import fc from 'fast-check';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Offset, ReadLimit } from '../../lib/contracts';
import { rate } from '../../connectors/rate/rate';
import { rateMicroBatch } from '../../connectors/rate/rateMicroBatch';
import { ManualClock } from '../support/ManualClock';
import { collect } from '../support/sourceContract';

const numRuns = Number(process.env.WEIR_PROPERTY_RUNS ?? 50);
const ALL: ReadLimit = { kind: 'all' };
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('split invariance (property)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-rate-prop-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('rate: consecutive ranges yield each value once, in range, timestamps inside their seconds', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 6 }),
        async (rowsPerSecond, rampUpTime, numPartitions, steps) => {
          const clock = new ManualClock(1_700_000_000_000);
          const metadataPath = path.join(dir, String(run++));
          await fs.mkdir(metadataPath);
          const source = rate({ rowsPerSecond, rampUpTime, numPartitions });
          await source.open({ metadataPath, sourceIndex: 0, clock, notifyDataAvailable: () => {} });
          let start: Offset = await source.initialOffset();
          const seen: number[] = [];
          for (const ms of steps) {
            clock.advance(ms);
            const end = (await source.latestOffset(start, ALL)) as number;
            const rows = await collect(source.read(start, end));
            for (const row of rows) {
              const t = row.timestamp.getTime() - 1_700_000_000_000;
              expect(t).toBeGreaterThanOrEqual((start as number) * 1000);
              expect(t).toBeLessThanOrEqual(end * 1000);
            }
            seen.push(...rows.map((r) => r.value));
            start = end;
          }
          expect(seen.sort((a, b) => a - b)).toEqual(range(seen.length));
          await source.stop();
        },
      ),
      { numRuns },
    );
  });

  it('rate-micro-batch: batch k is [kR, (k+1)R) whatever the partitioning', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 6 }),
        async (rowsPerBatch, numPartitions, batches) => {
          const source = rateMicroBatch({ rowsPerBatch, numPartitions });
          await source.open({ metadataPath: dir, sourceIndex: 0, clock: new ManualClock(0), notifyDataAvailable: () => {} });
          let start: Offset = await source.initialOffset();
          for (let k = 0; k < batches; k++) {
            const end = await source.latestOffset(start, ALL);
            const values = (await collect(source.read(start, end))).map((r) => r.value);
            expect(values.sort((a, b) => a - b)).toEqual(range(rowsPerBatch).map((i) => k * rowsPerBatch + i));
            start = end;
          }
        },
      ),
      { numRuns },
    );
  });
});
