/**
 * from_json / to_json: Spark's PERMISSIVE parsing with partial results, type conversions, and Spark's JSON text.
 * Expected values were observed on PySpark 4.0.1.
 */
import { fromJson, toJson } from '../../../lib/sql/expr/json';
import { parseDataType, StructType } from '../../../lib/values/types';

const t = (ddl: string) => StructType.fromDDL(ddl);

describe('fromJson', () => {
  it.each<[string, string, unknown]>([
    ['{"x":1}', 'x INT', { x: 1 }],
    ['{"x":"y","z":"ok"}', 'x INT, z STRING', { x: null, z: 'ok' }],
    ['{"x":1.5,"z":"ok"}', 'x INT, z STRING', { x: null, z: 'ok' }],
    ['{"x":"1","z":5}', 'x INT, z STRING', { x: null, z: '5' }],
    ['{bad', 'x INT', { x: null }],
    ['[{"x":1}]', 'x INT', { x: null }],
    ['1', 'x INT', { x: null }],
    ['{"x": 1, "y": {"a": 2}}', 'x STRING, y STRING', { x: '1', y: '{"a":2}' }],
    ['{"X": 1}', 'x INT', { x: null }],
    ['{"d": "NaN", "e": "-Infinity", "f": 2}', 'd DOUBLE, e DOUBLE, f DOUBLE', { d: NaN, e: -Infinity, f: 2 }],
    ['{"v": 1.005}', 'v DECIMAL(4,2)', { v: 1.01 }],
    ['{"v": 123.4}', 'v DECIMAL(3,1)', { v: null }],
    ['{"b": true, "c": "true"}', 'b BOOLEAN, c BOOLEAN', { b: true, c: null }],
    ['{"n": 3000000000}', 'n INT', { n: null }],
    ['{"n": 3000000000}', 'n BIGINT', { n: 3000000000 }],
    ['{"a": [1, "x", null]}', 'a ARRAY<INT>', { a: [1, null, null] }],
    ['{"s": {"q": 1, "r": 2}}', 's STRUCT<q: INT>', { s: { q: 1 } }],
  ])('%s as %s', (text, ddl, expected) => {
    expect(fromJson(text, t(ddl))).toEqual(expected);
  });

  it('parses timestamps from strings, epoch seconds and formats; dates', () => {
    const v = fromJson('{"a": "2024-01-01T00:00:00Z", "b": 1700000000, "c": "bad", "d": "2024-02-03"}', t('a TIMESTAMP, b TIMESTAMP, c TIMESTAMP, d DATE')) as Record<string, Date | null>;
    expect(v['a']?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(v['b']?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(v['c']).toBeNull();
    expect(v['d']?.toISOString()).toBe('2024-02-03T00:00:00.000Z');
    const f = fromJson('{"a": "03/01/2024 10:00"}', t('a TIMESTAMP'), { timestampFormat: 'dd/MM/yyyy HH:mm' }) as Record<string, Date>;
    expect(f['a']!.toISOString()).toBe('2024-01-03T10:00:00.000Z');
  });

  it('returns null for null input and for malformed arrays and maps', () => {
    expect(fromJson(null, t('x INT'))).toBeNull();
    expect(fromJson('{"a":1}', parseDataType('array<int>'))).toBeNull();
    expect(fromJson('nope', parseDataType('map<string,int>'))).toBeNull();
    expect(fromJson('{"a": 1, "b": "x"}', parseDataType('map<string,int>'))).toEqual(new Map([['a', 1], ['b', null]]));
  });

  it('keeps hostile keys as plain data', () => {
    const v = fromJson('{"__proto__": {"polluted": 1}, "constructor": 2}', t('`__proto__` STRUCT<polluted: INT>, `constructor` INT')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(v['constructor']).toBe(2);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('toJson', () => {
  it('writes Spark\'s JSON text', () => {
    const type = t('a INT, d DOUBLE, e DOUBLE, f FLOAT, ts TIMESTAMP, dt DATE, n STRING, arr ARRAY<INT>, m MAP<STRING, INT>, b BINARY, dec DECIMAL(5,2)');
    const value = {
      a: 1,
      d: 1e10,
      e: 0.0001,
      f: Math.fround(1.5),
      ts: new Date('2024-01-01T00:00:00Z'),
      dt: new Date('2024-01-02T00:00:00Z'),
      n: null,
      arr: [1, null],
      m: new Map([['k', 1]]),
      b: new Uint8Array([1, 2]),
      dec: 1.5,
    };
    expect(toJson(value, type)).toBe(
      '{"a":1,"d":1.0E10,"e":1.0E-4,"f":1.5,"ts":"2024-01-01T00:00:00.000Z","dt":"2024-01-02","arr":[1,null],"m":{"k":1},"b":"AQI=","dec":1.50}',
    );
    expect(toJson([1, 2], parseDataType('array<int>'))).toBe('[1,2]');
    expect(toJson(null, type)).toBeNull();
    expect(toJson({ d: NaN }, t('d DOUBLE'))).toBe('{"d":"NaN"}');
    expect(toJson({ s: 'a"\n' }, t('s STRING'))).toBe('{"s":"a\\"\\n"}');
  });
});
