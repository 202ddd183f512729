/**
 * Golden strings: copied from Spark 4.0.1 (`df.show()` / `Dataset.showString`) on the same values, UTC session
 * time zone unless stated.
 */
import { showString } from '../../../connectors/console/showString';
import { ErrorCodes, WeirError } from '../../../lib/errors';

/** The lines of a table, each ended by a newline, as showString renders them. */
const lines = (...ls: string[]): string => ls.map((l) => `${l}\n`).join('');

const ts = (ms: number): Date => new Date(Date.UTC(2024, 0, 2, 3, 4, 5, ms));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof WeirError ? e.code : 'not a WeirError';
  }
  return undefined;
}

describe('showString', () => {
  it('renders Spark borders, header and right-aligned cells', () => {
    expect(showString([{ value: 1, count: 2 }])).toBe(
      '+-----+-----+\n|value|count|\n+-----+-----+\n|    1|    2|\n+-----+-----+\n',
    );
  });

  it('prints NULL and cuts cells longer than 20 characters to 17 + "..."', () => {
    const row = { a: 1, b: null, c: 'x'.repeat(25), d: 'abcdefghijklmnopqrst', e: 'abcdefghijklmnopqrstu' };
    expect(showString([row])).toBe(
      lines(
        '+---+----+--------------------+--------------------+--------------------+',
        '|  a|   b|                   c|                   d|                   e|',
        '+---+----+--------------------+--------------------+--------------------+',
        '|  1|NULL|xxxxxxxxxxxxxxxxx...|abcdefghijklmnopqrst|abcdefghijklmnopq...|',
        '+---+----+--------------------+--------------------+--------------------+',
      ),
    );
  });

  it('prints undefined and missing keys as NULL', () => {
    expect(showString([{ a: undefined, b: 1 }, { b: 2 }])).toBe(
      lines('+----+---+', '|   a|  b|', '+----+---+', '|NULL|  1|', '|NULL|  2|', '+----+---+'),
    );
  });

  it('truncate: false shows whole cells, left-aligned', () => {
    expect(showString([{ a: 1, b: null, c: 'x'.repeat(25) }], { truncate: false })).toBe(
      lines(
        '+---+----+-------------------------+',
        '|a  |b   |c                        |',
        '+---+----+-------------------------+',
        '|1  |NULL|xxxxxxxxxxxxxxxxxxxxxxxxx|',
        '+---+----+-------------------------+',
      ),
    );
  });

  it('truncate: n cuts at n, without ellipsis below 4', () => {
    const row = { a: 1, b: null, c: 'x'.repeat(25) };
    expect(showString([row], { truncate: 5 })).toBe(
      lines('+---+----+-----+', '|  a|   b|    c|', '+---+----+-----+', '|  1|NULL|xx...|', '+---+----+-----+'),
    );
    expect(showString([row], { truncate: 3 })).toBe(
      lines('+---+---+---+', '|  a|  b|  c|', '+---+---+---+', '|  1|NUL|xxx|', '+---+---+---+'),
    );
    expect(showString([row], { truncate: 0 })).toBe(showString([row], { truncate: false }));
  });

  it('numRows: shows the first rows, then "only showing top N rows" without a newline (Spark 4)', () => {
    const rows = [0, 1, 2, 3, 4].map((a) => ({ a }));
    expect(showString(rows, { numRows: 2 })).toBe(
      `${lines('+---+', '|  a|', '+---+', '|  0|', '|  1|', '+---+')}only showing top 2 rows`,
    );
    expect(showString(rows, { numRows: 1 })).toBe(
      `${lines('+---+', '|  a|', '+---+', '|  0|', '+---+')}only showing top 1 row`,
    );
    expect(showString(rows, { numRows: 0 })).toBe(`${lines('+---+', '|  a|', '+---+', '+---+')}only showing top 0 rows`);
    expect(showString(rows.slice(0, 2), { numRows: 2 })).toBe(
      lines('+---+', '|  a|', '+---+', '|  0|', '|  1|', '+---+'),
    );
  });

  it('shows 20 rows by default', () => {
    const rows = Array.from({ length: 21 }, (_, a) => ({ a }));
    const text = showString(rows);
    expect(text.split('\n').filter((l) => /^\|\s*\d+\|$/.test(l))).toHaveLength(20);
    expect(text.endsWith('+---+\nonly showing top 20 rows')).toBe(true);
  });

  it('formats Date as a timestamp with the fraction stripped of trailing zeros', () => {
    const rows = [ts(0), ts(500), ts(120), ts(123), ts(1), new Date(Date.UTC(999, 0, 2, 3, 4, 5))].map((t) => ({
      t,
    }));
    expect(showString(rows, { truncate: false })).toBe(
      lines(
        '+-----------------------+',
        '|t                      |',
        '+-----------------------+',
        '|2024-01-02 03:04:05    |',
        '|2024-01-02 03:04:05.5  |',
        '|2024-01-02 03:04:05.12 |',
        '|2024-01-02 03:04:05.123|',
        '|2024-01-02 03:04:05.001|',
        '|0999-01-02 03:04:05    |',
        '+-----------------------+',
      ),
    );
    expect(showString([{ t: new Date(10) }], { truncate: false })).toBe(
      lines(
        '+----------------------+',
        '|t                     |',
        '+----------------------+',
        '|1970-01-01 00:00:00.01|',
        '+----------------------+',
      ),
    );
  });

  it('truncates timestamps like any cell', () => {
    const rows = [ts(0), ts(500), ts(120), ts(123), ts(1)].map((t) => ({ t }));
    expect(showString(rows)).toBe(
      lines(
        '+--------------------+',
        '|                   t|',
        '+--------------------+',
        '| 2024-01-02 03:04:05|',
        '|2024-01-02 03:04:...|',
        '|2024-01-02 03:04:...|',
        '|2024-01-02 03:04:...|',
        '|2024-01-02 03:04:...|',
        '+--------------------+',
      ),
    );
  });

  it('prints timestamps in the given time zone', () => {
    const rows = [ts(0), ts(500)].map((t) => ({ t }));
    expect(showString(rows, { timeZone: 'America/New_York' })).toBe(
      lines(
        '+--------------------+',
        '|                   t|',
        '+--------------------+',
        '| 2024-01-01 22:04:05|',
        '|2024-01-01 22:04:...|',
        '+--------------------+',
      ),
    );
    expect(showString([{ t: new Date(Date.UTC(2024, 6, 1, 12)) }], { timeZone: 'Asia/Kolkata' })).toBe(
      lines('+-------------------+', '|                  t|', '+-------------------+', '|2024-07-01 17:30:00|', '+-------------------+'),
    );
  });

  it('formats structs, arrays, maps, binary, booleans and nested NULLs', () => {
    const row = {
      s: { a: 1, b: null, c: 'x' },
      arr: [1, 2, null],
      m: new Map([
        ['k', 1],
        ['j', 2],
      ]),
      bin: Buffer.from('ab'),
      nbin: [new Uint8Array([0x61, 0x62])],
      sbin: { b: Buffer.from('ab') },
      t: true,
      d: 1.5, // Spark's golden has the DOUBLE 1.0 here; untyped JS prints 1 as "1", so a same-width 1.5
      l: 1,
      n: null,
      ea: [],
      eb: Buffer.alloc(0),
    };
    expect(showString([row])).toBe(
      lines(
        '+------------+------------+----------------+-------+---------+---------+----+---+---+----+---+---+',
        '|           s|         arr|               m|    bin|     nbin|     sbin|   t|  d|  l|   n| ea| eb|',
        '+------------+------------+----------------+-------+---------+---------+----+---+---+----+---+---+',
        '|{1, NULL, x}|[1, 2, NULL]|{k -> 1, j -> 2}|[61 62]|[[61 62]]|{[61 62]}|true|1.5|  1|NULL| []| []|',
        '+------------+------------+----------------+-------+---------+---------+----+---+---+----+---+---+',
      ),
    );
  });

  it('prints upper-case hex bytes', () => {
    expect(showString([{ b: new Uint8Array([1, 2, 0x0a, 0xff]) }])).toBe(
      lines('+-------------+', '|            b|', '+-------------+', '|[01 02 0A FF]|', '+-------------+'),
    );
  });

  it('formats a window struct { start, end } of Dates', () => {
    const start = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));
    const end = new Date(Date.UTC(2024, 0, 1, 0, 0, 10));
    expect(showString([{ start, end, window: { start, end } }], { truncate: false })).toBe(
      lines(
        '+-------------------+-------------------+------------------------------------------+',
        '|start              |end                |window                                    |',
        '+-------------------+-------------------+------------------------------------------+',
        '|2024-01-01 00:00:00|2024-01-01 00:00:10|{2024-01-01 00:00:00, 2024-01-01 00:00:10}|',
        '+-------------------+-------------------+------------------------------------------+',
      ),
    );
    expect(showString([{ window: { start, end } }])).toBe(
      lines('+--------------------+', '|              window|', '+--------------------+', '|{2024-01-01 00:00...|', '+--------------------+'),
    );
  });

  it('formats nested structs, arrays of structs and maps of structs', () => {
    const row = {
      s: {
        t: new Date(Date.UTC(2024, 0, 1, 0, 0, 7, 250)),
        arr: [{ a: 1 }],
        m: new Map([[1, { b: 2 }]]),
      },
    };
    expect(showString([row], { truncate: false })).toBe(
      lines(
        '+-------------------------------------------+',
        '|s                                          |',
        '+-------------------------------------------+',
        '|{2024-01-01 00:00:07.25, [{1}], {1 -> {2}}}|',
        '+-------------------------------------------+',
      ),
    );
  });

  it('escapes meta characters in names and cells and counts wide characters twice', () => {
    expect(showString([{ 'x\ny': 'a\nb\tc', j: '日本語', k: 'ab' }])).toBe(
      lines('+-------+------+---+', '|   x\\ny|     j|  k|', '+-------+------+---+', '|a\\nb\\tc|日本語| ab|', '+-------+------+---+'),
    );
  });

  it('escapes backspace, bell, form feed, vertical tab and carriage return', () => {
    expect(showString([{ c: 'a\x08\x07\f\v\rb' }])).toBe(
      lines('+------------+', '|           c|', '+------------+', '|a\\b\\a\\f\\v\\rb|', '+------------+'),
    );
  });

  it('prints numbers with String(n): NaN, Infinity, and JS notation for doubles', () => {
    // Spark's DOUBLE golden: |1.0E21|NaN|Infinity|-0.0|0.1| ; untyped JS numbers print as JS does.
    expect(showString([{ a: 1e21, b: NaN, c: Infinity, e: 0.1, big: 12345678901234567890n }])).toBe(
      lines(
        '+-----+---+--------+---+--------------------+',
        '|    a|  b|       c|  e|                 big|',
        '+-----+---+--------+---+--------------------+',
        '|1e+21|NaN|Infinity|0.1|12345678901234567890|',
        '+-----+---+--------+---+--------------------+',
      ),
    );
  });

  it('takes the columns as given, also for no rows', () => {
    expect(showString([], { columns: ['x'] })).toBe(lines('+---+', '|  x|', '+---+', '+---+'));
    expect(showString([{ b: 2, a: 1, c: 3 }], { columns: ['a', 'b'] })).toBe(
      lines('+---+---+', '|  a|  b|', '+---+---+', '|  1|  2|', '+---+---+'),
    );
  });

  it('uses the union of the shown rows keys in first-seen order', () => {
    expect(showString([{ a: 1 }, { b: 2, a: 3 }, { c: 4 }], { numRows: 2 })).toBe(
      `${lines('+---+----+', '|  a|   b|', '+---+----+', '|  1|NULL|', '|  3|   2|', '+---+----+')}only showing top 2 rows`,
    );
  });

  it('prints a frame with no columns as Spark does', () => {
    expect(showString([])).toBe('++\n||\n++\n++\n');
    expect(showString([{}, {}, {}], { numRows: 2 })).toBe('++\n||\n++\n||\n||\n++\nonly showing top 2 rows');
  });

  it('rejects bad options with INVALID_ARGUMENT', () => {
    expect(codeOf(() => showString([], { numRows: -1 }))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => showString([], { numRows: 1.5 }))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => showString([], { truncate: -1 }))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => showString([], { timeZone: 'Mars/Olympus' }))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => showString([], { columns: 'a' as never }))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => showString([], { columns: [1] as never }))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});
