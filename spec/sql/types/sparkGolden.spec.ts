/**
 * weir's types against answers recorded from a real Spark 4.0.1 (see golden/generate_golden.py): every CAST in
 * golden/spark-casts.json and every schema string form in golden/spark-schemas.json.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { castToString, castValue, dataTypeFromJson, parseDataType, StructType, WeirErrorLike } from './support';

interface CastGolden {
  readonly cases: Record<string, Array<[unknown, string | null]>>;
}
interface SchemaGolden {
  readonly schemas: Array<Record<string, string>>;
  readonly types: Array<Record<string, string>>;
}

const casts = JSON.parse(readFileSync(join(__dirname, 'golden/spark-casts.json'), 'utf8')) as CastGolden;
const schemas = JSON.parse(readFileSync(join(__dirname, 'golden/spark-schemas.json'), 'utf8')) as SchemaGolden;

/** A JS value for a golden input of SQL type `from`. */
function inputValue(from: string, input: unknown): unknown {
  if (from === 'string' || from === 'boolean') return input;
  if (from === 'timestamp' || from === 'date') return new Date(input as number);
  const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };
  const n = typeof input === 'string' ? special[input] : (input as number);
  return from === 'float' ? Math.fround(n) : n;
}

/**
 * Where weir knowingly differs from Spark: JS `Date` holds milliseconds (Spark microseconds), and cannot hold
 * instants past ±8.64e15 ms (Spark saturates at ±2^63 µs, years ±294247).
 */
function knownDifference(spark: string | null, weir: string | null): boolean {
  if (spark !== null && weir !== null && /\.\d{4,6}$/.test(spark) && /^\d{4}-/.test(spark)) {
    return spark.startsWith(weir.replace(/\.$/, '')) || spark.startsWith(weir + '.');
  }
  return spark !== null && weir === null && /^[+-]2[89]\d{4}-/.test(spark);
}

describe('CAST against Spark 4.0.1 (non-ANSI, UTC)', () => {
  const groups = Object.entries(casts.cases);

  it('covers every rule of the brief', () => {
    const keys = groups.map(([k]) => k);
    for (const k of [
      'string -> int',
      'string -> bigint',
      'string -> double',
      'string -> boolean',
      'string -> timestamp',
      'string -> date',
      'int -> string',
      'double -> string',
      'timestamp -> string',
      'timestamp -> bigint',
      'bigint -> timestamp',
      'double -> int',
      'boolean -> int',
      'date -> timestamp',
      'timestamp -> date',
    ]) {
      expect(keys).toContain(k);
    }
    expect(groups.reduce((n, [, v]) => n + v.length, 0)).toBeGreaterThan(2500);
  });

  it.each(groups)('%s', (key, rows) => {
    const [fromText, toText] = key.split(' -> ');
    const from = parseDataType(fromText);
    const to = parseDataType(toText);
    const mismatches: string[] = [];
    for (const [input, expected] of rows) {
      const r = castValue(inputValue(fromText, input), to, from);
      const got =
        r === null ? null : toText === 'binary' ? Buffer.from(r as Uint8Array).toString('hex').toUpperCase() : castToString(r, to);
      if (got !== expected && !knownDifference(expected, got)) {
        mismatches.push(`${JSON.stringify(input)}: spark ${JSON.stringify(expected)}, weir ${JSON.stringify(got)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('schema strings against Spark 4.0.1', () => {
  const ok = schemas.schemas.filter((s) => s.error === undefined);
  const failing = schemas.schemas.filter((s) => s.error !== undefined);

  it.each(ok.map((s) => [s.ddl, s] as const))('StructType.fromDDL(%j)', (_ddl, s) => {
    const st = StructType.fromDDL(s.ddl);
    expect(st.toDDL()).toBe(s.toDDL);
    expect(st.simpleString()).toBe(s.simple);
    expect(st.catalogString()).toBe(s.catalog);
    expect(st.sql()).toBe(s.sql);
    expect(st.json()).toBe(s.json);
    expect(st.treeString()).toBe(s.tree);
    expect(st.treeString(2)).toBe(s.tree2);
    expect(st.treeString(1)).toBe(s.tree1);
    expect(StructType.fromJson(s.json).equals(st)).toBe(true);
  });

  it.each(failing.map((s) => [s.ddl, s.error] as const))('StructType.fromDDL(%j) fails with %s', (ddl, errorClass) => {
    expect(() => StructType.fromDDL(ddl)).toThrow(WeirErrorLike('INVALID_ARGUMENT', errorClass === 'ERR' ? undefined : errorClass));
  });

  // weir reads CHAR(n)/VARCHAR(n) as STRING (Spark keeps them in a parsed schema, but rejects them in a
  // DataFrame schema unless spark.sql.legacy.charVarcharAsString); INTERVAL and VARIANT have no row form here.
  const weirDiffers = new Set(['varchar(10)', 'char(3)', 'interval', 'variant']);
  const types = schemas.types.filter((t) => !weirDiffers.has(t.text));

  it.each(types.map((t) => [t.text, t] as const))('parseDataType(%j)', (text, t) => {
    if (t.error !== undefined) {
      // 'ERR': Spark's message has no error class (DECIMAL scale > precision)
      expect(() => parseDataType(text)).toThrow(WeirErrorLike('INVALID_ARGUMENT', t.error === 'ERR' ? undefined : t.error));
      return;
    }
    const d = parseDataType(text);
    expect([d.simpleString(), d.json(), d.sql()]).toEqual([t.simple, t.json, t.sql]);
    expect(dataTypeFromJson(t.json).equals(d)).toBe(true);
  });
});
