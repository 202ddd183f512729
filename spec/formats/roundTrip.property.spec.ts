/**
 * Properties: what a format writes, it reads back equal (CSV with Spark's quoting, JSON lines, Parquet), for strings
 * made of the characters that break naive writers (separators, quotes, escapes, newlines, edge whitespace).
 */
import fc from 'fast-check';
import type { Row } from '../../lib/contracts';
import { csvFormat } from '../../lib/formats/csvFormat';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { jsonFormat } from '../../lib/formats/jsonFormat';
import { parquetFormat } from '../../lib/formats/parquetFormat';
import { toSchema } from '../../lib/values/types';
import { readWith } from './support';

const numRuns = Number(process.env.WEIR_PROPERTY_RUNS ?? 100);
const tricky = fc.string({ unit: fc.constantFrom('a', 'é', ',', ';', '"', "'", '\\', '\n', '\r', ' ', '\t', '{', '#', '\u0000'), maxLength: 12 });
const schema = toSchema('id INT, s STRING, x DOUBLE');
const rowsArb = fc.array(
  fc.record({ s: fc.option(tricky, { nil: null }), x: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }) }),
  { minLength: 1, maxLength: 8 },
).map((rs) => rs.map((r, id): Row => ({ id, ...r })));

/** What Spark's CSV writer keeps: leading and trailing whitespace (<= U+0020) trimmed, empty strings read as null. */
function csvExpectation(rows: Row[]): Row[] {
  return rows.map((r) => {
    if (typeof r.s !== 'string') return r;
    let a = 0;
    let b = r.s.length;
    while (a < b && r.s.charCodeAt(a) <= 0x20) a++;
    while (b > a && r.s.charCodeAt(b - 1) <= 0x20) b--;
    const t = r.s.slice(a, b);
    return { ...r, s: t === '' ? null : t };
  });
}

describe('format round trips (property)', () => {
  const variants: Array<Record<string, string>> = [{}, { header: 'true' }, { sep: ';', quote: "'" }];
  for (const options of variants) {
    it(`CSV ${JSON.stringify(options)}: read(write(rows)) equals rows as Spark's writer keeps them`, async () => {
      await fc.assert(
        fc.asyncProperty(rowsArb, async (rows) => {
          const bytes = Buffer.from(await csvFormat.write(rows, schema, new FormatOptions(options)));
          const back = await readWith(csvFormat, bytes, schema, { ...options, mode: 'FAILFAST' });
          expect(back).toEqual(csvExpectation(rows));
        }),
        { numRuns },
      );
    });
  }

  it('JSON lines: read(write(rows)) equals rows', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const bytes = Buffer.from(await jsonFormat.write(rows, schema, new FormatOptions()));
        expect(await readWith(jsonFormat, bytes, schema, { mode: 'FAILFAST' })).toEqual(rows);
      }),
      { numRuns },
    );
  });

  it('Parquet: read(write(rows)) equals rows', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const bytes = Buffer.from(await parquetFormat.write(rows, schema, new FormatOptions()));
        expect(await readWith(parquetFormat, bytes, schema)).toEqual(rows);
      }),
      { numRuns },
    );
  });
});
