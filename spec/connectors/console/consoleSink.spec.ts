import { consoleSink, ConsoleSink } from '../../../connectors/console/consoleSink';
import { ErrorCodes, WeirError } from '../../../lib/errors';
import type { Row } from '../../../lib/contracts';
import { sinkContract, testBatchInfo } from '../../support/sinkContract';

const BANNER = '-------------------------------------------';
const header = (batchId: number): string => `${BANNER}\nBatch: ${batchId}\n${BANNER}\n`;

/** A console sink writing into an array. */
function captured(options: Parameters<typeof consoleSink>[0] = {}): { sink: ConsoleSink; out: string[] } {
  const out: string[] = [];
  const sink = consoleSink({ ...options, write: (text) => void out.push(text) });
  return { sink, out };
}

async function rejection(promise: Promise<unknown>): Promise<WeirError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WeirError);
  return error as WeirError;
}

sinkContract({
  name: 'consoleSink',
  delivery: 'atLeastOnce',
  create: () => {
    const { sink, out } = captured();
    return {
      sink,
      deliveries: () => out.map((text) => ({ batchId: Number(/^Batch: (\d+)$/m.exec(text)?.[1]) })),
    };
  },
});

describe('consoleSink', () => {
  it('prints the Spark banner, the show() table and its println newline (Spark 4.0.1 golden)', async () => {
    const { sink, out } = captured();
    expect(sink).toBeInstanceOf(ConsoleSink);
    await sink.addBatch(0, [{ value: 1, count: 2 }], testBatchInfo(0));
    expect(out).toEqual([
      `${header(0)}+-----+-----+\n|value|count|\n+-----+-----+\n|    1|    2|\n+-----+-----+\n\n`,
    ]);
    expect(sink.lastBatchOutputRows).toBe(1);
  });

  it('complete mode batch, as Spark prints it', async () => {
    const { sink, out } = captured();
    const rows: Row[] = [
      { b: 'x', n: 1 },
      { b: 'y', n: 1 },
    ];
    await sink.addBatch(0, rows, testBatchInfo(0, 'complete'));
    expect(out.join('')).toBe(
      '-------------------------------------------\nBatch: 0\n-------------------------------------------\n' +
        '+---+---+\n|  b|  n|\n+---+---+\n|  x|  1|\n|  y|  1|\n+---+---+\n\n',
    );
  });

  it('numRows cuts the batch and adds the only-showing line (no blank line after it in Spark 4)', async () => {
    const { sink, out } = captured({ numRows: 1 });
    await sink.addBatch(
      0,
      [
        { a: 1, b: 'x' },
        { a: 2, b: 'y' },
      ],
      testBatchInfo(0),
    );
    expect(out.join('')).toBe(
      '-------------------------------------------\nBatch: 0\n-------------------------------------------\n' +
        '+---+---+\n|  a|  b|\n+---+---+\n|  1|  x|\n+---+---+\nonly showing top 1 row\n',
    );
    expect(sink.lastBatchOutputRows).toBe(2);
  });

  it('truncate: false prints whole cells, left-aligned', async () => {
    const { sink, out } = captured({ truncate: false });
    await sink.addBatch(7, [{ a: 1, c: 'x'.repeat(25) }], testBatchInfo(7));
    expect(out.join('')).toBe(
      `${header(7)}+---+-------------------------+\n|a  |c                        |\n+---+-------------------------+\n` +
        '|1  |xxxxxxxxxxxxxxxxxxxxxxxxx|\n+---+-------------------------+\n\n',
    );
  });

  it('prints Dates in its time zone', async () => {
    const { sink, out } = captured({ timeZone: 'America/New_York' });
    await sink.addBatch(1, [{ t: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) }], testBatchInfo(1));
    expect(out.join('')).toBe(
      `${header(1)}+-------------------+\n|                  t|\n+-------------------+\n|2024-01-01 22:04:05|\n+-------------------+\n\n`,
    );
  });

  it('prints a no-data batch as a frame without columns, or with the columns it was given', async () => {
    const plain = captured();
    await plain.sink.addBatch(3, [], testBatchInfo(3));
    expect(plain.out.join('')).toBe(`${header(3)}++\n||\n++\n++\n\n`);
    const withColumns = captured({ columns: ['word', 'count'] });
    await withColumns.sink.addBatch(3, [], testBatchInfo(3));
    expect(withColumns.out.join('')).toBe(`${header(3)}+----+-----+\n|word|count|\n+----+-----+\n+----+-----+\n\n`);
  });

  it('writes each batch in one call and prints a re-delivered batch again (not fault tolerant)', async () => {
    const { sink, out } = captured();
    await sink.addBatch(0, [{ a: 1 }], testBatchInfo(0));
    await sink.addBatch(0, [{ a: 1 }], testBatchInfo(0));
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(out[1]);
  });

  it('awaits an async write and wraps its failure in SINK_ERROR', async () => {
    const written: string[] = [];
    const slow = consoleSink({
      write: async (text) => {
        await new Promise((resolve) => setImmediate(resolve));
        written.push(text);
      },
    });
    await slow.addBatch(0, [{ a: 1 }], testBatchInfo(0));
    expect(written).toHaveLength(1);

    const cause = new Error('EPIPE');
    const failing = consoleSink({
      write: () => {
        throw cause;
      },
    });
    const error = await rejection(failing.addBatch(4, [{ a: 1 }], testBatchInfo(4)));
    expect(error.code).toBe(ErrorCodes.SINK_ERROR);
    expect(error.context.batchId).toBe(4);
    expect(error.cause).toBe(cause);
  });

  it('writes to process.stdout by default', async () => {
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await consoleSink().addBatch(0, [{ a: 1 }], testBatchInfo(0));
      expect(spy).toHaveBeenCalledWith(`${header(0)}+---+\n|  a|\n+---+\n|  1|\n+---+\n\n`);
    } finally {
      spy.mockRestore();
    }
  });

  it.each([
    [{ numRows: -1 }],
    [{ numRows: 2.5 }],
    [{ truncate: 20 }],
    [{ truncate: 'yes' }],
    [{ write: 'stdout' }],
    [{ timeZone: 'Nowhere/Special' }],
  ])('rejects bad options %p with INVALID_ARGUMENT', (options) => {
    let code: string | undefined;
    try {
      consoleSink(options as never);
    } catch (e) {
      code = (e as WeirError).code;
    }
    expect(code).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});
