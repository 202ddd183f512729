/**
 * Issue #16 item 12: no LIKE or regex pattern blocks the event loop. LIKE runs on a matcher that never backtracks
 * and RLIKE / regexp_* / split on RE2 (re2js): the issue's two patterns finish at once, a fuzz of generated
 * patterns and values keeps every row under a bound, results equal the backtracking reference (JS RegExp) on the
 * patterns both support, and what RE2 lacks is refused with a named error, never matched differently.
 */
import fc from 'fast-check';
import { StructType } from '../../../lib/values/types';
import { compileExpr } from '../../../lib/sql/expr/compile/compileExpr';
import { parseExpression } from '../../../lib/sql/expr/parseExpression';
import { likeMatcher } from '../../../lib/sql/expr/likeMatcher';
import { javaRegex } from '../../../lib/sql/expr/javaRegex';
import { javaSplit, likeToRegExp } from '../../../lib/sql/expr/values';
import { expectWeirError } from '../../support/expectWeirError';

const schema = StructType.fromDDL('s STRING, p STRING');

/**
 * The most one row may take. Far below what backtracking took (8 s, 237 s) and far above what the linear matchers
 * take (under 25 ms measured), so that a GC pause on a loaded 2-core machine does not fail the run.
 */
const BOUND_MS = 250;
const ctx = { batchTimestampMs: 0 };

/** Evaluates `sql` on one row, returning the value and the milliseconds it took. */
function timed(sql: string, row: Record<string, unknown>): { value: unknown; ms: number } {
  const compiled = compileExpr(parseExpression(sql), schema);
  const t0 = performance.now();
  const value = compiled.evaluate(row, ctx);
  return { value, ms: performance.now() - t0 };
}

const sqlString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

describe('patterns that backtracked for seconds finish at once', () => {
  it("LIKE '%a' x 15 'b' on 30 characters (about 8 s on the RegExp translation)", () => {
    const { value, ms } = timed(`s LIKE ${sqlString(`${'%a'.repeat(15)}b`)}`, { s: 'a'.repeat(30) });
    expect(value).toBe(false);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("the issue's LIKE: '%a' x 30 then 'b' on 60 characters", () => {
    const { value, ms } = timed(`s LIKE ${sqlString(`${'%a'.repeat(30)}b`)}`, { s: 'a'.repeat(60) });
    expect(value).toBe(false);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(timed(`s LIKE ${sqlString(`${'%a'.repeat(30)}b`)}`, { s: `${'a'.repeat(60)}b` }).value).toBe(true);
  });

  it("RLIKE '(a+)+$' on 26 characters (about 1.5 s on JS RegExp)", () => {
    const { value, ms } = timed("s RLIKE '(a+)+$'", { s: `${'a'.repeat(26)}!` });
    expect(value).toBe(false);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("the issue's RLIKE: '(a+)+$' on 31 characters, and regexp_replace / regexp_extract / split on it", () => {
    const row = { s: `${'a'.repeat(31)}!` };
    for (const [sql, expected] of [
      ["s RLIKE '(a+)+$'", false],
      ["regexp_replace(s, '(a+)+b', 'x')", row.s],
      ["regexp_extract(s, '(a+)+b', 1)", ''],
      ["size(split(s, '(a+)+b'))", 1],
    ] as const) {
      const { value, ms } = timed(sql, row);
      expect(value).toEqual(expected);
      expect(ms).toBeLessThan(BOUND_MS);
    }
  });
});

describe('LIKE keeps Spark semantics', () => {
  it.each([
    ['abc', 'a%', true], ['abc', '_b_', true], ['abc', '%c', true], ['abc', 'a_', false], ['a%c', 'a\\%c', true],
    ['abc', 'a\\%c', false], ['a_c', 'a\\_c', true], ['a\\c', 'a\\\\c', true], ['', '%', true], ['', '_', false],
    ['😀x', '_x', true], ['x😀', 'x_', true], ['ab', '%%b', true], ['ab', 'a%%b%', true], ['abab', '%ab%ab', true],
    ['aab', '%ab%ab', false], ['line\nbreak', 'line_break', true],
  ] as const)('%j LIKE %j is %s', (s, p, expected) => {
    expect(likeMatcher(p)(s)).toBe(expected);
    expect(likeToRegExp(p).test(s)).toBe(expected);
  });

  it("ESCAPE '!' makes '!%' a literal % (h!% does not match hello)", () => {
    expect(likeMatcher('h!%', '!')('hello')).toBe(false);
    expect(likeMatcher('h!%', '!')('h%')).toBe(true);
  });

  it('ILIKE lowercases value and pattern', () => {
    expect(timed("s ILIKE 'AB%'", { s: 'abC' }).value).toBe(true);
    expect(timed("s NOT ILIKE 'ab_'", { s: 'ABC' }).value).toBe(false);
  });

  it("a misplaced escape is Spark's INVALID_FORMAT.ESC_IN_THE_MIDDLE / ESC_AT_THE_END", async () => {
    const middle = await expectWeirError(() => likeMatcher('a\\b'), 'INVALID_ARGUMENT');
    expect(middle.message).toMatch(/^\[INVALID_FORMAT\.ESC_IN_THE_MIDDLE\] The format is invalid: 'a\\b'\. The escape character is not allowed to precede 'b'/);
    const end = await expectWeirError(() => likeMatcher('ab\\'), 'INVALID_ARGUMENT');
    expect(end.message).toMatch(/^\[INVALID_FORMAT\.ESC_AT_THE_END\]/);
  });

  it('a pattern read per row is checked and matched per row', () => {
    expect(timed('s LIKE p', { s: 'xyz', p: 'x%' }).value).toBe(true);
    expect(timed('s LIKE p', { s: 'xyz', p: null }).value).toBe(null);
  });

  it('fuzz: equals the RegExp reference on generated patterns, and no row takes over the bound', () => {
    const patternChar = fc.constantFrom('a', 'b', '%', '_', '\\%', '\\_', '\\\\', 'é', '😀', '.', '*');
    const valueChar = fc.constantFrom('a', 'b', 'é', '😀', '%', '_', '\\', '.', '\n');
    fc.assert(
      fc.property(fc.array(patternChar, { maxLength: 12 }), fc.array(valueChar, { maxLength: 14 }), fc.boolean(), (pp, vv, ci) => {
        const p = pp.join('');
        const v = vv.join('');
        const t0 = performance.now();
        const got = likeMatcher(p, '\\', ci)(v);
        expect(performance.now() - t0).toBeLessThan(BOUND_MS);
        expect(got).toBe(likeToRegExp(ci ? p.toLowerCase() : p, '\\', false).test(ci ? v.toLowerCase() : v));
      }),
      { numRuns: 3000 },
    );
  });

  it('fuzz: long adversarial patterns on long values stay under the bound a row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 2000 }), fc.constantFrom('%a', '%a_', '_%a', '%_a%'), (k, n, unit) => {
        const m = likeMatcher(`${unit.repeat(k)}b`);
        const t0 = performance.now();
        m('a'.repeat(n));
        expect(performance.now() - t0).toBeLessThan(BOUND_MS);
      }),
      { numRuns: 300 },
    );
  });
});

describe('regular expressions run on RE2', () => {
  /** Small patterns both engines read alike. */
  const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\d', 'x', '(a|b)', '(ab)', '\\w');
  const quantified = fc.tuple(atom, fc.constantFrom('', '*', '+', '?', '{1,2}', '*?', '+?')).map(([a, q]) => a + q);
  const pattern = fc.array(quantified, { minLength: 1, maxLength: 5 }).chain((parts) =>
    fc.constantFrom(parts.join(''), `^${parts.join('')}`, `${parts.join('')}$`, `(${parts.join('')})|b`),
  );
  const value = fc.array(fc.constantFrom('a', 'b', 'x', '1', ' ', 'é'), { maxLength: 16 }).map((c) => c.join(''));

  it('fuzz: find, group 1, replaceAll and split equal JS RegExp on simple patterns', () => {
    fc.assert(
      fc.property(pattern, value, (p, v) => {
        const re = javaRegex(p, 'rlike');
        const js = new RegExp(p);
        expect(re.test(v)).toBe(js.test(v));
        const m = re.matcher(v);
        const jm = js.exec(v);
        expect(m.find()).toBe(jm !== null);
        if (jm !== null) {
          expect(m.group(0)).toBe(jm[0]);
          expect(m.start()).toBe(jm.index);
          if (re.groupCount > 0) expect(m.group(1)).toBe(jm[1] ?? null);
        }
        expect(re.replaceAll(v, '<$0>')).toBe(v.replace(new RegExp(p, 'g'), '<$&>'));
        if (!new RegExp(p).test('')) expect(javaSplit(v, re, -1)).toEqual(jsSplit(v, new RegExp(p, 'g')));
      }),
      { numRuns: 2000 },
    );
  });

  it('fuzz: nested quantifiers on long values stay under the bound a row', () => {
    const nested = fc.tuple(fc.constantFrom('a', 'a|aa', 'a|a', '.', 'a?'), fc.constantFrom('+', '*'), fc.constantFrom('+', '*', '{2,}'), fc.constantFrom('$', 'b', '!x'))
      .map(([a, q1, q2, tail]) => `((${a})${q1})${q2}${tail}`);
    fc.assert(
      fc.property(nested, fc.integer({ min: 10, max: 3000 }), (p, n) => {
        const re = javaRegex(p, 'rlike');
        const v = `${'a'.repeat(n)}!`;
        const t0 = performance.now();
        re.test(v);
        re.replaceAll(v, 'x');
        expect(performance.now() - t0).toBeLessThan(BOUND_MS);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['(a)\\1', 'backreferences (\\1)'],
    ['(?<x>a)\\k<x>', 'backreferences (\\k<name>)'],
    ['a(?=b)', 'lookahead ((?=...))'],
    ['a(?!b)', 'lookahead ((?!...))'],
    ['(?<=a)b', 'lookbehind ((?<=...))'],
    ['(?<!a)b', 'lookbehind ((?<!...))'],
    ['(?>a+)b', 'atomic groups ((?>...))'],
    ['a*+b', 'possessive quantifiers (*+)'],
    ['[a-z&&[^b]]', 'character class intersection (&&)'],
    ['[a[bc]]', 'nested character classes or class unions ([a[b]])'],
    ['(?x)a b', 'COMMENTS mode ((?x))'],
    ['a\\Z', '\\Z'],
    ['\\p{javaLowerCase}', 'the Java character class \\p{javaLowerCase}'],
  ])('%s is refused, naming %s', async (p, feature) => {
    const e = await expectWeirError(() => timed(`s RLIKE ${sqlString(p)}`, { s: 'ab' }), 'INVALID_ARGUMENT');
    expect(e.message).toContain("[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) `regexp` in `rlike` is invalid");
    expect(e.message).toContain(`which has no ${feature}.`);
    expect(e.context).toMatchObject({ pattern: p, function: 'rlike' });
  });

  it('an invalid pattern is INVALID_PARAMETER_VALUE.PATTERN', async () => {
    const e = await expectWeirError(() => timed("regexp_extract(s, '(a', 1)", { s: 'ab' }), 'INVALID_ARGUMENT');
    expect(e.message).toMatch(/^\[INVALID_PARAMETER_VALUE\.PATTERN\] The value of parameter\(s\) `regexp` in `regexp_extract` is invalid: '\(a'/);
  });

  it.each([
    ["s RLIKE '\\\\u0041b'", 'Ab', true],
    ["s RLIKE '^\\\\p{Alpha}+$'", 'Ab', true],
    ["s RLIKE '^\\\\p{Alpha}+$'", 'A1', false],
    ["s RLIKE '\\\\Qa.b\\\\E'", 'xa.by', true],
    ["s RLIKE '\\\\Qa.b\\\\E'", 'xaxby', false],
    ["s RLIKE '(?i)AB'", 'xab', true],
    ["s RLIKE '^\\\\s$'", '\u000b', true],
    ["regexp_replace(s, '(\\\\w+) (\\\\w+)', '$2 $1')", 'hello world', 'world hello'],
    ["regexp_replace(s, 'o', '\\\\$')", 'foo', 'f$$'],
    ["regexp_extract(s, '(\\\\d+)-(\\\\d+)', 2)", 'tel 12-345', '345'],
    ["regexp_extract(s, '(a)|(b)', 1)", 'b', ''],
    ["split(s, ',')", 'a,b,,c,,', ['a', 'b', '', 'c', '', '']],
    ["split(s, '')", 'abc', ['a', 'b', 'c']],
    ["split(s, ',', 2)", 'a,b,c', ['a', 'b,c']],
  ] as const)('%s on %j is %j (Java semantics)', (sql, s, expected) => {
    expect(timed(sql, { s }).value).toEqual(expected);
  });

  it('a group index past the groups is INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX', async () => {
    const e = await expectWeirError(() => timed("regexp_extract(s, '(a)', 2)", { s: 'a' }), 'INVALID_ARGUMENT');
    expect(e.message).toMatch(/^\[INVALID_PARAMETER_VALUE\.REGEX_GROUP_INDEX\].*between 0 and 1, but got 2/);
  });
});

/** Java's String.split(regex, -1) written over JS RegExp, for patterns that never match empty. */
function jsSplit(v: string, re: RegExp): string[] {
  if (v.length === 0) return [''];
  const out: string[] = [];
  let last = 0;
  for (const m of v.matchAll(re)) {
    out.push(v.slice(last, m.index));
    last = m.index + m[0].length;
  }
  out.push(v.slice(last));
  return out;
}
