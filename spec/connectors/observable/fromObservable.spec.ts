import { EMPTY, NEVER, Subject, of, throwError } from 'rxjs';
import type { ReadLimit, SourceContext } from '../../../lib/contracts';
import { fromObservable, type ObservableSource } from '../../../connectors/observable/fromObservable';
import { expectWeirError } from '../../support/expectWeirError';
import { ManualClock } from '../../support/ManualClock';
import { collect, sourceContract } from '../../support/sourceContract';

const ALL: ReadLimit = { kind: 'all' };

sourceContract(
  'fromObservable',
  () => {
    const subject = new Subject<{ n: number }>();
    let n = 0;
    return {
      source: fromObservable(subject),
      clock: new ManualClock(0),
      produce: () => {
        subject.next({ n: n++ });
        subject.next({ n: n++ });
      },
    };
  },
  { replayAcrossRestart: false, notifiesOnData: true },
);

describe('fromObservable', () => {
  let subject: Subject<string>;
  let source: ObservableSource<string>;
  let notified: number;
  const context = (): SourceContext => ({
    metadataPath: '/nonexistent/never-written',
    sourceIndex: 0,
    clock: new ManualClock(0),
    notifyDataAvailable: () => {
      notified += 1;
    },
  });
  beforeEach(() => {
    subject = new Subject<string>();
    source = fromObservable(subject, { name: 'letters' });
    notified = 0;
  });
  afterEach(async () => {
    await source.stop();
  });

  it('tags arrivals with offsets 0, 1, 2, ... after the initial -1', async () => {
    await source.open(context());
    expect(await source.initialOffset()).toBe(-1);
    expect(await source.latestOffset(-1, ALL)).toBe(-1);
    subject.next('a');
    subject.next('b');
    subject.next('c');
    expect(notified).toBe(3);
    expect(await source.latestOffset(-1, ALL)).toBe(2);
    expect(await collect(source.read(-1, 2))).toEqual(['a', 'b', 'c']);
    expect(await collect(source.read(0, 1))).toEqual(['b']);
  });

  it('respects a maxRows read limit, also inside a composite limit', async () => {
    await source.open(context());
    for (const x of 'abcde') subject.next(x);
    expect(await source.latestOffset(-1, { kind: 'maxRows', maxRows: 2 })).toBe(1);
    expect(await source.latestOffset(1, { kind: 'maxRows', maxRows: 2 })).toBe(3);
    const composite: ReadLimit = {
      kind: 'composite',
      limits: [
        { kind: 'minRows', minRows: 1, maxDelayMs: 0 },
        { kind: 'maxRows', maxRows: 10 },
        { kind: 'maxRows', maxRows: 3 },
      ],
    };
    expect(await source.latestOffset(-1, composite)).toBe(2);
    expect(await source.latestOffset(3, { kind: 'maxFiles', maxFiles: 1 })).toBe(4);
  });

  it('commit trims the buffer; uncommitted ranges still replay', async () => {
    await source.open(context());
    for (const x of 'abcd') subject.next(x);
    expect(await source.latestOffset(-1, ALL)).toBe(3);
    expect(source.metrics!(-1)).toEqual({ bufferedRows: '4' });
    await source.commit(1);
    expect(source.metrics!(1)).toEqual({ bufferedRows: '2' });
    expect(await collect(source.read(1, 3))).toEqual(['c', 'd']);
    expect(await collect(source.read(-1, 3))).toEqual(['c', 'd']); // committed rows are gone
    expect(await source.latestOffset(1, ALL)).toBe(3);
  });

  it('fails latestOffset and read with SOURCE_ERROR when the observable errors', async () => {
    await source.open(context());
    subject.next('a');
    const boom = new Error('boom');
    subject.error(boom);
    expect(notified).toBe(2);
    const e1 = await expectWeirError(() => source.latestOffset(-1, ALL), 'SOURCE_ERROR');
    expect(e1.cause).toBe(boom);
    expect(e1.context.source).toBe('fromObservable[letters]');
    const e2 = await expectWeirError(() => collect(source.read(-1, 0)), 'SOURCE_ERROR');
    expect(e2.cause).toBe(boom);
  });

  it('fails with SOURCE_ERROR for an observable that errors at subscription', async () => {
    const failing = fromObservable(throwError(() => new TypeError('nope')));
    await failing.open(context());
    const e = await expectWeirError(() => failing.latestOffset(-1, ALL), 'SOURCE_ERROR');
    expect(e.cause).toBeInstanceOf(TypeError);
    await failing.stop();
  });

  it('remembers completion and keeps serving what was buffered', async () => {
    await source.open(context());
    subject.next('a');
    expect(source.completed).toBe(false);
    subject.complete();
    expect(source.completed).toBe(true);
    expect(await source.latestOffset(-1, ALL)).toBe(0);
    expect(await collect(source.read(-1, 0))).toEqual(['a']);
  });

  it('buffers a synchronous (cold) observable at open', async () => {
    const cold = fromObservable(of(1, 2, 3));
    await cold.open(context());
    expect(cold.completed).toBe(true);
    expect(notified).toBe(3);
    expect(await collect(cold.read(-1, await cold.latestOffset(-1, ALL)))).toEqual([1, 2, 3]);
    await cold.stop();
    expect(cold.completed).toBe(true);
    const empty = fromObservable(EMPTY);
    await empty.open(context());
    expect(empty.completed).toBe(true);
    expect(await empty.latestOffset(-1, ALL)).toBe(-1);
    await empty.stop();
  });

  it('unsubscribes on stop and subscribes again on open', async () => {
    await source.open(context());
    expect(subject.observed).toBe(true);
    subject.next('lost');
    await source.stop();
    expect(subject.observed).toBe(false);
    await source.open(context());
    expect(subject.observed).toBe(true);
    subject.next('new');
    expect(await collect(source.read(-1, await source.latestOffset(-1, ALL)))).toEqual(['new']);
  });

  it('after a restart, numbers new rows after the checkpoint offset', async () => {
    await source.open(context());
    for (const x of 'abc') subject.next(x);
    const end = await source.latestOffset(-1, ALL);
    expect(end).toBe(2);
    await source.commit(end);
    await source.stop();

    // The new run buffers rows before the engine tells it where the checkpoint is.
    await source.open(context());
    subject.next('d');
    subject.next('e');
    const next = await source.latestOffset(2, ALL);
    expect(next).toBe(4);
    expect(await collect(source.read(2, next))).toEqual(['d', 'e']);
    subject.next('f');
    expect(await source.latestOffset(next, ALL)).toBe(5);
  });

  it('after a restart, a re-run of an uncommitted batch of the old run is empty (at-most-once)', async () => {
    await source.open(context());
    subject.next('x');
    // The old run committed up to 41 and had planned (41, 50] when it crashed.
    subject.next('y');
    expect(await collect(source.read(41, 50))).toEqual([]);
    expect(await collect(source.read(41, 50))).toEqual([]);
    await source.commit(50);
    const next = await source.latestOffset(50, ALL);
    expect(next).toBe(52);
    expect(await collect(source.read(50, next))).toEqual(['x', 'y']);
  });

  it('never renumbers rows already handed out', async () => {
    await source.open(context());
    subject.next('a');
    expect(await source.latestOffset(-1, ALL)).toBe(0);
    subject.next('b');
    // An offset beyond what was handed out (misuse or an old run) claims the range; 'a' keeps offset 0.
    expect(await source.latestOffset(10, ALL)).toBe(11);
    expect(await collect(source.read(-1, 0))).toEqual(['a']);
    expect(await collect(source.read(10, 11))).toEqual(['b']);
    subject.next('c');
    expect(await source.latestOffset(11, ALL)).toBe(12);
  });

  it('fixes the available rows on prepareForTriggerAvailableNow', async () => {
    await source.open(context());
    subject.next('a');
    subject.next('b');
    await source.prepareForTriggerAvailableNow!();
    subject.next('c');
    expect(await source.latestOffset(-1, { kind: 'maxRows', maxRows: 1 })).toBe(0);
    expect(await source.latestOffset(0, ALL)).toBe(1);
    expect(await source.latestOffset(1, ALL)).toBe(1);
  });

  it('fails with SOURCE_ERROR when used before open', async () => {
    const idle = fromObservable(NEVER);
    await expectWeirError(() => idle.latestOffset(-1, ALL), 'SOURCE_ERROR');
    await expectWeirError(() => collect(idle.read(-1, 0)), 'SOURCE_ERROR');
    await expectWeirError(() => idle.prepareForTriggerAvailableNow!(), 'SOURCE_ERROR');
  });

  it('rejects foreign offsets with INVALID_ARGUMENT', async () => {
    await source.open(context());
    await expectWeirError(() => source.latestOffset('3', ALL), 'INVALID_ARGUMENT');
    await expectWeirError(() => collect(source.read(3, 1)), 'INVALID_ARGUMENT');
    await expectWeirError(() => source.commit({ offset: 1 }), 'INVALID_ARGUMENT');
  });

  it('describes itself', () => {
    expect(source.description).toBe('fromObservable[letters]');
    expect(fromObservable(NEVER).description).toBe('fromObservable[observable]');
  });

  it('rejects bad arguments with INVALID_ARGUMENT', async () => {
    await expectWeirError(() => fromObservable(null as never), 'INVALID_ARGUMENT');
    await expectWeirError(() => fromObservable([1, 2] as never), 'INVALID_ARGUMENT');
    await expectWeirError(() => fromObservable(NEVER, { name: '' }), 'INVALID_ARGUMENT');
    const e = await expectWeirError(() => fromObservable(NEVER, { nmae: 'x' } as never), 'INVALID_ARGUMENT');
    expect(e.context.hint).toEqual(expect.any(String));
  });
});
