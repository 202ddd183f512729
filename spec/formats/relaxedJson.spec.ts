import fc from 'fast-check';
import { toStrictJson, type JsonFeatures } from '../../lib/formats/relaxedJson';

const ALL: JsonFeatures = { allowComments: true, allowSingleQuotes: true, allowUnquotedFieldNames: true };
const NONE: JsonFeatures = { allowComments: false, allowSingleQuotes: false, allowUnquotedFieldNames: false };

describe('toStrictJson', () => {
  it('returns the text unchanged with every feature off', () => {
    const text = "{a: 'x'} // c";
    expect(toStrictJson(text, NONE)).toBe(text);
  });

  it('rewrites comments, single-quoted strings and unquoted names into JSON with the same value', () => {
    const text = "{a: 'it\\'s \"q\"', /* c */ \"b\": [true, null, -1e5, 'x\\n'], c_1$: {d: false}} // end";
    expect(JSON.parse(toStrictJson(text, ALL))).toEqual({ a: 'it\'s "q"', b: [true, null, -1e5, 'x\n'], c_1$: { d: false } });
  });

  it('never touches text inside strings, and leaves malformed input malformed', () => {
    expect(JSON.parse(toStrictJson('{"a": "x // y /* z */ \'w\' k: v"}', ALL))).toEqual({ a: "x // y /* z */ 'w' k: v" });
    expect(() => JSON.parse(toStrictJson('{"a": 1 /* open', ALL))).toThrow(SyntaxError);
    expect(() => JSON.parse(toStrictJson("{'a: 1}", ALL))).toThrow(SyntaxError);
  });
});

describe('toStrictJson: allowNonNumericNumbers', () => {
  const NAN: JsonFeatures = { ...NONE, allowNonNumericNumbers: true };
  it("rewrites Jackson's non-numeric tokens to the strings Spark reads as numbers, and nothing else", () => {
    expect(JSON.parse(toStrictJson('[NaN, Infinity, +Infinity, -Infinity, INF, +INF, -INF, -1e-5, "NaN x"]', NAN))).toEqual([
      'NaN', 'Infinity', 'Infinity', '-Infinity', 'Infinity', 'Infinity', '-Infinity', -1e-5, 'NaN x',
    ]);
    expect(JSON.parse(toStrictJson('{NaN: NaN, Infinityx: 1}', { ...ALL, allowNonNumericNumbers: true }))).toEqual({ NaN: 'NaN', Infinityx: 1 });
    expect(toStrictJson('[NaN]', NONE)).toBe('[NaN]');
  });
});

describe('toStrictJson: allowNumericLeadingZeros, allowBackslashEscapingAnyCharacter, allowUnquotedControlChars', () => {
  const ZEROS: JsonFeatures = { ...NONE, allowNumericLeadingZeros: true };
  const ANY_ESCAPE: JsonFeatures = { ...NONE, allowBackslashEscapingAnyCharacter: true };
  const CONTROL: JsonFeatures = { ...NONE, allowUnquotedControlChars: true };
  const EVERY: JsonFeatures = { ...ALL, allowNonNumericNumbers: true, allowNumericLeadingZeros: true, allowBackslashEscapingAnyCharacter: true, allowUnquotedControlChars: true };

  it('each feature rewrites only what it allows', () => {
    expect(JSON.parse(toStrictJson('[007, -007.5, 00, 0, 0.5, -0, 1e-07, "007"]', ZEROS))).toEqual([7, -7.5, 0, 0, 0.5, -0, 1e-7, '007']);
    expect(JSON.parse(toStrictJson('{"s": "\\q\\w\\u0041\\/\\\\d\\"", "t": \'\\q\'}', { ...ANY_ESCAPE, allowSingleQuotes: true }))).toEqual({ s: 'qwA/\\d"', t: 'q' });
    expect(JSON.parse(toStrictJson('{"s": "tab\there\nnl"}', CONTROL))).toEqual({ s: 'tab\there\nnl' });
    // Off, the same texts stay malformed.
    expect(() => JSON.parse(toStrictJson('[007]', NONE))).toThrow(SyntaxError);
    expect(() => JSON.parse(toStrictJson('["\\q"]', { ...NONE, allowUnquotedControlChars: true }))).toThrow(SyntaxError);
    expect(() => JSON.parse(toStrictJson('["a\tb"]', ANY_ESCAPE))).toThrow(SyntaxError);
  });

  it('strict JSON means the same with every feature on', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(JSON.parse(toStrictJson(text, EVERY))).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });
});
