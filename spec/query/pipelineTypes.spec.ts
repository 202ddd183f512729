/**
 * Row types through `startQuery`'s pipeline, checked by the compiler: `npx tsc --noEmit -p tsconfig.json` (which
 * includes spec/) fails when a `@ts-expect-error` line below compiles (TS2578 "Unused '@ts-expect-error'
 * directive") or a correct pipeline does not. The type-level cases are functions that are never called; the
 * jest tests at the end run two of the correct pipelines, so they are real ones.
 */
import { filter, map, type OperatorFunction } from 'rxjs';
import type { MicroBatch, Row } from '../../lib/contracts';
import { startQuery } from '../../lib/query/startQuery';
import { count, dropDuplicates, groupByKey, limit, rows, sessionWindow, window, withColumn, withWatermark } from '../../operators';
import { memorySink, noopSink } from '../../sinks';
import { MemoryStream, rateMicroBatch } from '../../sources';

interface Word {
  word: string;
  n: number;
}

/** Wrong pipelines: each marked line is a compile error (and must stay one). */
export function wrongPipelines(): void {
  const numbers = new MemoryStream<{ a: number }>();
  const events = new MemoryStream<{ word: string; ts: Date }>();

  // The first operator takes rows the source does not have.
  void startQuery({
    source: numbers,
    // @ts-expect-error MicroBatch<{ a: number }> is not MicroBatch<{ b: string }>
    pipeline: [rows(map((r: { b: string }) => r.b))],
    sink: noopSink(),
  });

  // An operator in the middle takes rows the one before does not produce (withWatermark passes the source's rows).
  void startQuery({
    source: events,
    // @ts-expect-error the rows after withWatermark are { word, ts }: no column `user`
    pipeline: [withWatermark('ts', '10 seconds'), rows(map((r: { user: string }) => r.user))],
    sink: noopSink(),
  });

  // window adds `window`, not `win`.
  void startQuery({
    source: events,
    // @ts-expect-error the rows after window() have `window`, not `win`
    pipeline: [withWatermark('ts', '10 seconds'), window('ts', '10 seconds'), rows(map((r: { win: { start: Date } }) => r.win.start))],
    sink: noopSink(),
  });

  // A column type that does not match.
  void startQuery({
    source: numbers,
    // @ts-expect-error `double` is a number, not a string
    pipeline: [withColumn('double', (r: { a: number }) => r.a * 2), rows(map((r: { double: string }) => r.double.length))],
    sink: noopSink(),
  });

  // The sink takes other rows than the pipeline produces.
  void startQuery({
    source: numbers,
    pipeline: [rows(map((r: { a: number }) => ({ x: r.a })))],
    // @ts-expect-error the pipeline produces { x: number }, the sink takes { y: string }
    sink: memorySink<{ y: string }>({ name: 'wrong-sink' }),
  });

  // No pipeline: the sink takes the source's rows.
  void startQuery({
    source: numbers,
    pipeline: [],
    // @ts-expect-error the source's rows are { a: number }
    sink: memorySink<{ b: string }>({ name: 'wrong-sink-2' }),
  });

  // The one-operator form is checked too.
  void startQuery({
    source: numbers,
    // @ts-expect-error MicroBatch<{ a: number }> is not MicroBatch<{ b: string }>
    pipeline: rows(map((r: { b: string }) => r.b)),
    sink: noopSink(),
  });

  // An operator with fixed row types (not a literal) in the wrong place.
  const overWords: OperatorFunction<MicroBatch<Word>, MicroBatch<Word>> = rows(filter((w: Word) => w.n > 1));
  void startQuery({
    source: events,
    // @ts-expect-error the source's rows are { word, ts }, not Word
    pipeline: [withWatermark('ts', '1 minute'), overWords],
    sink: noopSink(),
  });
}

/** Correct pipelines: all of these compile, without annotations on weir's operators. */
export function correctPipelines(): void {
  const events = new MemoryStream<{ word: string; ts: Date }>();
  const words = new MemoryStream<Word>();

  // README, RxJS quick start: a filter over a narrower type keeps the other columns for the map after it.
  void startQuery({
    source: words,
    pipeline: [rows(filter((r: { n: number }) => r.n > 1)), rows(map((r: { word: string; n: number }) => ({ ...r, word: r.word.toUpperCase() })))],
    sink: memorySink<{ word: string; n: number }>({ name: 'big' }),
  });

  // README: a windowed count.
  void startQuery({
    source: events,
    pipeline: [withWatermark('ts', '10 seconds'), window('ts', '10 seconds'), groupByKey('window', 'word'), count()],
    sink: memorySink({ name: 'counts' }),
  });

  // After window() the rows have `window`; after count() their columns are not known (Row), so any annotation goes.
  void startQuery({
    source: events,
    pipeline: [
      withWatermark('ts', '10 seconds'),
      window('ts', '10 seconds'),
      rows(filter((r: { window: { start: Date; end: Date }; word: string }) => r.word !== '')),
      groupByKey('window', 'word'),
      count(),
      rows(map((r: { window: { start: Date }; word: string; count: number }) => ({ start: r.window.start, word: r.word, n: r.count }))),
    ],
    sink: memorySink<{ start: Date; word: string; n: number }>({ name: 'windows' }),
  });

  // window's `as`, sessionWindow, withColumn, dedup and limit keep the row type.
  void startQuery({
    source: events,
    pipeline: [
      withWatermark('ts', '10 seconds'),
      withColumn('len', (r: { word: string }) => r.word.length),
      window('ts', '10 seconds', null, null, { as: 'w' }),
      dropDuplicates('word', 'ts'),
      limit(10),
      rows(map((r: { w: { start: Date }; len: number; word: string; ts: Date }) => ({ at: r.w.start, len: r.len, word: r.word }))),
    ],
    sink: memorySink<{ at: Date; len: number; word: string }>({ name: 'columns' }),
  });
  void startQuery({
    source: events,
    pipeline: [withWatermark('ts', '10 seconds'), sessionWindow('ts', '5 seconds'), rows(map((r: { session_window: { end: Date } }) => r.session_window.end))],
    sink: memorySink<Date>({ name: 'sessions' }),
  });

  // The seed's shape (examples/kafka-to-kafka.ts): a type guard narrows, the next map takes the narrowed type.
  void startQuery({
    source: new MemoryStream<{ value: string | null }>(),
    pipeline: [
      rows(map((r: { value: string | null }) => (r.value === null ? null : { amount: Number(r.value) }))),
      rows(filter((o: { amount: number } | null): o is { amount: number } => o !== null)),
      rows(map((o: { amount: number }) => ({ cents: Math.round(o.amount * 100) }))),
    ],
    sink: memorySink<{ cents: number }>({ name: 'cents' }),
  });

  // Rows of an interface type (no index signature) go through weir's operators over `Row`.
  interface Click {
    user: string;
    ts: Date;
  }
  void startQuery({
    source: new MemoryStream<Click>(),
    pipeline: [withWatermark('ts', '1 minute'), rows(filter((c: Click) => c.user !== '')), window('ts', '1 minute'), groupByKey('window', 'user'), count()],
    sink: memorySink({ name: 'clicks' }),
  });

  // Untyped rows (Row, as from `files()` or the DataFrame face) and unannotated row functions are not checked.
  void startQuery({
    source: new MemoryStream<Row>(),
    pipeline: [rows(map((r: { whatever: number }) => r.whatever))],
    sink: noopSink(),
  });

  // A pipeline chosen at run time (a union of arrays), or built as an array of unknown length, is not checked.
  const perMode = Math.random() > 0.5 ? [rows(map((r: { word: string }) => ({ w: r.word }))), count()] : [rows(map((r: { n: number }) => r))];
  void startQuery({ source: words, pipeline: perMode, sink: noopSink() });
  const built: OperatorFunction<any, any>[] = [withWatermark('ts', '1 second')];
  void startQuery({ source: events, pipeline: built, sink: noopSink() });

  // The one-operator form types its row functions by the source's rows.
  void startQuery({ source: words, pipeline: rows(map((r) => ({ word: r.word, twice: r.n * 2 }))), sink: memorySink<{ word: string; twice: number }>({ name: 'one' }) });

  // Several inputs: their union's rows are not typed (any), so the pipeline after it is not checked.
  void startQuery({
    inputs: [{ source: words }, { source: new MemoryStream<Word>() }],
    pipeline: [rows(map((r: { word: string }) => r.word))],
    sink: memorySink<string>({ name: 'union' }),
  });
}

describe('typed pipelines (the compile-time cases above are checked by tsc)', () => {
  it('runs the README quick-start pipeline as typed', async () => {
    const input = new MemoryStream<Word>();
    const sink = memorySink<Word>({ name: 'typed-big' });
    const query = await startQuery({
      source: input,
      pipeline: [rows(filter((r: { n: number }) => r.n > 1)), rows(map((r: Word) => ({ ...r, word: r.word.toUpperCase() })))],
      sink,
    });
    input.addData({ word: 'a', n: 1 }, { word: 'b', n: 2 });
    await query.processAllAvailable();
    await query.stop();
    expect(sink.rows()).toEqual([{ word: 'B', n: 2 }]);
  });

  it('runs a typed pipeline over rate-micro-batch rows (withColumn adds a typed column)', async () => {
    const sink = memorySink<{ value: number; parity: string }>({ name: 'typed-rate' });
    const query = await startQuery({
      source: rateMicroBatch({ rowsPerBatch: 4 }),
      pipeline: [
        withColumn('parity', (r: { value: number }) => (r.value % 2 === 0 ? 'even' : 'odd')),
        rows(map((r: { value: number; parity: string }) => ({ value: r.value, parity: r.parity }))),
      ],
      sink,
      trigger: { once: true },
    });
    await query.awaitTermination();
    expect(sink.rows()).toEqual([
      { value: 0, parity: 'even' },
      { value: 1, parity: 'odd' },
      { value: 2, parity: 'even' },
      { value: 3, parity: 'odd' },
    ]);
  });
});
