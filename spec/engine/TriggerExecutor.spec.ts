import { ManualClock } from '../../lib/time/ManualClock';
import { Trigger, toTrigger } from '../../lib/engine/Trigger';
import { executeTrigger, fallingBehindMessage, nextBatchTime } from '../../lib/engine/TriggerExecutor';
import { isWeirError } from '../../lib/errors';

describe('Trigger', () => {
  it('parses the keyword forms and the factories', () => {
    expect(toTrigger(undefined)).toEqual({ kind: 'processingTime', intervalMs: 0 });
    expect(toTrigger({ processingTime: '10 seconds' })).toEqual({ kind: 'processingTime', intervalMs: 10_000 });
    expect(toTrigger({ once: true })).toEqual({ kind: 'once' });
    expect(toTrigger({ availableNow: true })).toEqual({ kind: 'availableNow' });
    expect(toTrigger({ continuous: '1 second' })).toEqual({ kind: 'continuous', checkpointIntervalMs: 1000 });
    expect(Trigger.ProcessingTime(250)).toEqual({ kind: 'processingTime', intervalMs: 250 });
  });

  it('rejects bad intervals and several triggers at once with INVALID_ARGUMENT', () => {
    for (const bad of [() => Trigger.ProcessingTime(-1), () => Trigger.ProcessingTime('1 month'), () => Trigger.ProcessingTime('soon'),
      () => toTrigger({ once: true, availableNow: true } as never)]) {
      let error: unknown;
      try {
        bad();
      } catch (e) {
        error = e;
      }
      expect(isWeirError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('executeTrigger', () => {
  it("computes Spark's nextBatchTime", () => {
    expect(nextBatchTime(0, 100)).toBe(100);
    expect(nextBatchTime(99, 100)).toBe(100);
    expect(nextBatchTime(100, 100)).toBe(200);
    expect(nextBatchTime(1234, 0)).toBe(1234);
  });

  it('runs processing-time triggers on interval boundaries, on a manual clock', async () => {
    const clock = new ManualClock(50);
    const starts: number[] = [];
    const abort = new AbortController();
    const done = executeTrigger(
      Trigger.ProcessingTime(100),
      async () => {
        starts.push(clock.now());
        return starts.length < 4;
      },
      { clock, signal: abort.signal, logger: { warn: () => undefined } },
    );
    await clock.whenWaiting();
    expect(starts).toEqual([50]);
    clock.advance(49); // 99: not yet
    await Promise.resolve();
    expect(starts).toEqual([50]);
    clock.advance(1); // 100
    await clock.whenWaitingAfter(100);
    clock.advance(100); // 200
    await clock.whenWaitingAfter(200);
    clock.advance(100); // 300: the fourth trigger returns false
    await done;
    expect(starts).toEqual([50, 100, 200, 300]);
  });

  it('starts the next trigger at once after an overrun and logs the falling-behind warning', async () => {
    const clock = new ManualClock(0);
    const starts: number[] = [];
    const warnings: string[] = [];
    await executeTrigger(
      Trigger.ProcessingTime(100),
      async () => {
        starts.push(clock.now());
        if (starts.length === 1) clock.advance(250); // the first batch overruns 2.5 intervals
        return starts.length < 2;
      },
      { clock, signal: new AbortController().signal, logger: { warn: (m) => warnings.push(m) } },
    );
    expect(starts).toEqual([0, 250]); // no catch-up of the missed ticks at 100 and 200
    expect(warnings).toEqual([fallingBehindMessage(100, 250)]);
    expect(warnings[0]).toBe(
      'Current batch is falling behind. The trigger interval is 100 milliseconds, but spent 250 milliseconds',
    );
  });

  it('Once runs the handler once; AvailableNow until it returns false', async () => {
    const clock = new ManualClock(0);
    const opts = { clock, signal: new AbortController().signal, logger: { warn: () => undefined } };
    let n = 0;
    await executeTrigger(Trigger.Once(), async () => ++n < 10, opts);
    expect(n).toBe(1);
    n = 0;
    await executeTrigger(Trigger.AvailableNow(), async () => ++n < 5, opts);
    expect(n).toBe(5);
  });

  it('stops sleeping when the signal aborts', async () => {
    const clock = new ManualClock(0);
    const abort = new AbortController();
    let n = 0;
    const done = executeTrigger(Trigger.ProcessingTime(1000), async () => (++n, true), {
      clock,
      signal: abort.signal,
      logger: { warn: () => undefined },
    });
    await clock.whenWaiting();
    abort.abort();
    await done;
    expect(n).toBe(1);
  });
});
