/**
 * The one options class of every connector (Spark's CaseInsensitiveStringMap): case-insensitive keys, keys kept
 * as given, Spark's typed getters and their errors, secrets never shown.
 */
import { inspect } from 'node:util';
import { CaseInsensitiveMap } from '../../lib/connector/CaseInsensitiveMap';
import { CaseInsensitiveStringMap } from '../../lib/connector/CaseInsensitiveStringMap';
import { REDACTED } from '../../lib/connector/redaction';
import { expectWeirError } from '../support/expectWeirError';

describe('CaseInsensitiveStringMap', () => {
  it('compares keys case-insensitively and keeps them as given', () => {
    const o = new CaseInsensitiveStringMap([
      ['maxFilesPerTrigger', '1'],
      ['kafka.bootstrap.servers', 'b:9092'],
    ]);
    expect(o.get('MAXFILESPERTRIGGER')).toBe('1');
    expect(o.has('maxfilespertrigger')).toBe(true);
    expect(o.has('maxFiles')).toBe(false);
    expect(o.get('missing')).toBeUndefined();
    expect(o.keys()).toEqual(['maxFilesPerTrigger', 'kafka.bootstrap.servers']);
    expect(o.size).toBe(2);
    expect(o.getString('nope', 'dflt')).toBe('dflt');
  });

  it('the last value set under any spelling wins, under the spelling it was set with', () => {
    const o = new CaseInsensitiveStringMap([
      ['path', '/a'],
      ['PATH', '/b'],
    ]);
    expect(o.get('Path')).toBe('/b');
    expect(o.size).toBe(1);
    expect(o.entries()).toEqual([['PATH', '/b']]);
  });

  it('is made from a plain object, a Map or another map; without() and with() copy', () => {
    const o = new CaseInsensitiveStringMap({ header: true, sep: ';', n: 3 });
    expect(o.entries()).toEqual([
      ['header', 'true'],
      ['sep', ';'],
      ['n', '3'],
    ]);
    expect(new CaseInsensitiveStringMap(new Map([['A', 'x']])).get('a')).toBe('x');
    const copy = new CaseInsensitiveStringMap(o);
    expect(copy.get('SEP')).toBe(';');
    expect(o.without('HEADER', 'n').entries()).toEqual([['sep', ';']]);
    expect(o.with('Sep', ',').get('sep')).toBe(',');
    expect(o.get('sep')).toBe(';');
    expect(o.asMap()).toEqual(new Map([['header', 'true'], ['sep', ';'], ['n', '3']]));
  });

  it('getBoolean: true/false in any case; anything else is Spark\'s "is not a boolean string."', async () => {
    const o = new CaseInsensitiveStringMap({ a: 'TRUE', b: 'False', c: 'yes', d: ' true' });
    expect(o.getBoolean('A', false)).toBe(true);
    expect(o.getBoolean('b', true)).toBe(false);
    expect(o.getBoolean('absent', true)).toBe(true);
    const e = await expectWeirError(() => o.getBoolean('c', false), 'INVALID_ARGUMENT');
    expect(e.message).toBe('yes is not a boolean string.');
    expect(e.context).toMatchObject({ option: 'c', value: 'yes' });
    await expectWeirError(() => o.getBoolean('d', false), 'INVALID_ARGUMENT');
  });

  it('getInt and getLong: Java\'s parseInt/parseLong (sign, digits, range), NumberFormatException text', async () => {
    const o = new CaseInsensitiveStringMap({ i: '42', neg: '-7', plus: '+5', big: '2147483648', long: '9007199254740991', huge: '9007199254740993', f: '1.5', s: ' 3', e: '', x: '1e3' });
    expect(o.getInt('I', 0)).toBe(42);
    expect(o.getInt('neg', 0)).toBe(-7);
    expect(o.getInt('plus', 0)).toBe(5);
    expect(o.getInt('absent', 9)).toBe(9);
    expect((await expectWeirError(() => o.getInt('big', 0), 'INVALID_ARGUMENT')).message).toBe('For input string: "2147483648"');
    expect(o.getLong('big', 0)).toBe(2147483648);
    expect(o.getLong('long', 0)).toBe(Number.MAX_SAFE_INTEGER);
    for (const key of ['huge', 'f', 's', 'e', 'x']) {
      const e = await expectWeirError(() => o.getLong(key, 0), 'INVALID_ARGUMENT');
      expect(e.message).toBe(`For input string: "${o.get(key)}"`);
      expect(e.context.option).toBe(key);
    }
  });

  it('getDouble: Java\'s parseDouble (whitespace, exponent, NaN, Infinity, d/f suffix)', async () => {
    const o = new CaseInsensitiveStringMap({ a: ' 2.5 ', b: '1e3', c: 'NaN', d: '-Infinity', e: '3d', f: '.5', bad: '1,5', blank: '  ' });
    expect(o.getDouble('A', 0)).toBe(2.5);
    expect(o.getDouble('b', 0)).toBe(1000);
    expect(o.getDouble('c', 0)).toBeNaN();
    expect(o.getDouble('d', 0)).toBe(-Infinity);
    expect(o.getDouble('e', 0)).toBe(3);
    expect(o.getDouble('f', 0)).toBe(0.5);
    expect(o.getDouble('absent', 1.25)).toBe(1.25);
    expect((await expectWeirError(() => o.getDouble('bad', 0), 'INVALID_ARGUMENT')).message).toBe('For input string: "1,5"');
    expect((await expectWeirError(() => o.getDouble('blank', 0), 'INVALID_ARGUMENT')).message).toBe('empty String');
  });

  it('keeps secrets out of toString, JSON, inspect and errors', async () => {
    const jaas = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="hunter2";';
    const o = new CaseInsensitiveStringMap({
      'kafka.sasl.jaas.config': jaas,
      'kafka.ssl.truststore.password': 'hunter3',
      'fs.s3a.access.key': 'AKIA',
      subscribe: 'events',
    });
    const shown = [o.toString(), JSON.stringify(o), inspect(o), `${o}`, inspect({ nested: o })];
    for (const text of shown) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('hunter3');
      expect(text).not.toContain('AKIA');
      expect(text).toContain(REDACTED);
      expect(text).toContain('events');
    }
    expect(o.redacted()).toEqual({
      'kafka.sasl.jaas.config': REDACTED,
      'kafka.ssl.truststore.password': REDACTED,
      'fs.s3a.access.key': REDACTED,
      subscribe: 'events',
    });
    const e = await expectWeirError(() => o.getInt('kafka.ssl.truststore.password', 0), 'INVALID_ARGUMENT');
    expect(`${e.message} ${JSON.stringify(e.context)}`).not.toContain('hunter3');
    const b = await expectWeirError(() => o.getBoolean('KAFKA.SASL.JAAS.CONFIG', false), 'INVALID_ARGUMENT');
    expect(`${b.message} ${JSON.stringify(b.context)}`).not.toContain('hunter2');
    // The connector itself still gets the value.
    expect(o.get('kafka.sasl.jaas.config')).toBe(jaas);
  });
});

describe('CaseInsensitiveMap (typed values: the RxJS face\'s Kafka options)', () => {
  it('looks typed values up in any case and redacts secrets when shown', () => {
    const m = new CaseInsensitiveMap<unknown>([
      ['maxOffsetsPerTrigger', 10],
      ['startingOffsets', { t: { 0: 5 } }],
      ['sasl.password', 'hunter4'],
      ['MAXOFFSETSPERTRIGGER', 20],
    ]);
    expect(m.get('maxoffsetspertrigger')).toBe(20);
    expect(m.keys()).toEqual(['startingOffsets', 'sasl.password', 'MAXOFFSETSPERTRIGGER']);
    expect(m.get('STARTINGOFFSETS')).toEqual({ t: { 0: 5 } });
    for (const text of [m.toString(), JSON.stringify(m), inspect(m)]) {
      expect(text).not.toContain('hunter4');
      expect(text).toContain(REDACTED);
    }
    expect(m.toString()).toBe(`CaseInsensitiveMap{startingOffsets={"t":{"0":5}}, sasl.password=${REDACTED}, MAXOFFSETSPERTRIGGER=20}`);
  });
});
