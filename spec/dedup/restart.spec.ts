/**
 * Restart tests on the LevelDB state store: each Spark golden scenario of deduplication and of the
 * flatMapGroupsWithState sessionization is replayed with one interruption and a restart on the same checkpoint:
 * a graceful stop after each step, or a crash inside each batch (after its offsets, after the sink, after the
 * state commit; the batch is then re-run from its log). Every batch must still be Spark's: same ids, rows and
 * state size.
 *
 * Not covered on purpose: a graceful stop between a data batch and its no-data batch. A restarted query does not
 * know that its last plan wanted a no-data batch, so that work moves into the next data batch and the output
 * differs from an uninterrupted run. Spark 4.0.1 does the same (checked: a dedup query whose watermark moved in
 * its last batch, restarted with no new input, runs no batch).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OperatorFunction } from 'rxjs';
import { dropDuplicates, dropDuplicatesWithinWatermark, withWatermark } from '../../operators';
import { MemoryStream } from '../../connectors/memory/MemoryStream';
import type { Row } from '../../lib/contracts';
import { ManualClock } from '../../lib/time/ManualClock';
import { canonicalRows, loadScenarios, type Scenario } from '../golden/goldenSupport';
import { sessionizeOperator, timeoutProbeOperator } from '../groupState/sessionize';
import { startClockedQuery, type ClockedQuery } from '../groupState/clockedQuery';
import type { Failpoint } from '../../lib/engine/MicroBatchExecution';

const scenarios = loadScenarios().filter((s) => s.name.startsWith('dedup_') || s.name.startsWith('sessionization_'));

function compile(s: Scenario): OperatorFunction<any, any>[] {
  return s.stages.map((st) => {
    switch (st.op) {
      case 'withWatermark':
        return withWatermark(st.column!, st.delay!);
      case 'dropDuplicates':
        return dropDuplicates(...(st.columns ?? []));
      case 'dropDuplicatesWithinWatermark':
        return dropDuplicatesWithinWatermark(...(st.columns ?? []));
      case 'sessionize':
        return sessionizeOperator(st.keys!, st.gap!, st.outputMode!);
      case 'timeoutProbe':
        return timeoutProbeOperator(st.keys!);
      default:
        throw new Error(`unknown stage ${st.op}`);
    }
  });
}

const toInput = (row: Row): Row => ({ ...row, ts: new Date(row.ts as string) });

/** Where a run is interrupted: a graceful stop after a batch, or a crash at a step of a batch's protocol. */
type Interruption = { kind: 'stop'; afterBatch: number } | { kind: 'crash'; batchId: number; point: Failpoint };

/** Runs scenario `s` with one interruption and a restart on the same checkpoint; rows and state sizes by batch id. */
async function run(s: Scenario, root: string, interruption: Interruption) {
  const input = new MemoryStream<Row>({ name: 'input0' });
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const batches = new Map<number, Row[]>();
  const totals = new Map<number, number[]>();
  let crashed = false;
  const failpoint = (point: Failpoint, batchId: number): void => {
    if (!crashed && interruption.kind === 'crash' && interruption.batchId === batchId && interruption.point === point) {
      crashed = true;
      throw new Error(`crash at ${point} of batch ${batchId}`);
    }
  };
  const start = () =>
    startClockedQuery({
      inputs: [{ source: input }],
      pipeline: compile(s),
      outputMode: s.outputMode,
      checkpointLocation: path.join(root, 'cp'),
      clock,
      batches,
      failpoint,
    });
  const record = (query: ClockedQuery) => {
    for (const p of query.query.recentProgress) totals.set(p.batchId, p.stateOperators.map((o) => o.numRowsTotal));
  };
  let q: ClockedQuery = await start();
  let executed = 0;
  try {
    for (const step of s.steps) {
      input.addData(...(step.inputs['0'] ?? []).map(toInput));
      for (;;) {
        let ran: boolean;
        try {
          ran = await q.tick();
        } catch (e) {
          if (!crashed || q.query.isActive) throw e;
          record(q);
          q = await start(); // the crashed batch is re-run from its logged offsets and watermark
          continue;
        }
        if (!ran) break;
        executed += 1;
        if (interruption.kind === 'stop' && executed === interruption.afterBatch) {
          record(q);
          await q.stop();
          q = await start();
        }
      }
    }
    record(q);
  } finally {
    await q.stop();
  }
  if (interruption.kind === 'crash') expect(crashed).toBe(true);
  return { batches, totals };
}

describe('dedup and flatMapGroupsWithState state survive a restart at every batch boundary (LevelDB)', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('covers the dedup and sessionization golden scenarios', () => {
    expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['dedup_within_watermark', 'sessionization_append']));
  });

  const points: Failpoint[] = ['afterOffsetsWritten', 'afterSinkWrite', 'afterStateCommit'];
  const cases = scenarios.flatMap((s) => {
    const ids = s.steps.flatMap((st) => st.batches.map((b) => b.batchId));
    const stepEnds = s.steps.reduce<number[]>((ends, st) => [...ends, (ends[ends.length - 1] ?? 0) + st.batches.length], []);
    return [
      // A graceful stop after each step (its data batch and no-data batch done).
      ...stepEnds.slice(0, -1).map((n) => [s.name, `stopped after batch ${n - 1}`, s, { kind: 'stop', afterBatch: n }] as const),
      // A crash inside every batch, at every point where the batch is re-run on restart.
      ...ids.flatMap((batchId) => points.map((point) => [s.name, `crashed ${point} of batch ${batchId}`, s, { kind: 'crash', batchId, point }] as const)),
    ];
  });

  it.each(cases)('%s, %s', async (_name, _what, s, interruption) => {
    const root = mkdtempSync(path.join(tmpdir(), 'weir-dedup-restart-'));
    roots.push(root);
    const { batches, totals } = await run(s, root, interruption as Interruption);
    const expected = s.steps.flatMap((st) => st.batches);
    expect([...batches.keys()].sort((a, b) => a - b)).toEqual(expected.map((b) => b.batchId));
    for (const b of expected) {
      const context = `batch ${b.batchId}`;
      expect({ context, rows: canonicalRows(batches.get(b.batchId)!, new Set()) }).toEqual({ context, rows: canonicalRows(b.rows, new Set()) });
      expect({ context, total: totals.get(b.batchId) }).toEqual({ context, total: b.numRowsTotal });
    }
  });
});
