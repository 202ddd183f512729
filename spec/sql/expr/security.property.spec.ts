/**
 * Security properties of parsing, compiling and evaluating untrusted expression text, as fast-check fuzz runs
 * over arbitrary strings and grammar-shaped strings that mix hostile tokens (`constructor`, `__proto__`,
 * `prototype`, `eval`, backquotes, quotes):
 * - parse/compile/evaluate either succeed or throw a WeirError with a code (never a TypeError, RangeError, ...);
 * - `Object.prototype` (and Array/Function prototypes) are unchanged after every run;
 * - `globalThis.eval` and `Function` are never called (replaced by throwing spies during the runs).
 * numRuns comes from WEIR_FUZZ_RUNS (default 2000).
 */
import fc from 'fast-check';
import { parseExpression, parseExpressionList } from '../../../lib/sql/expr/parseExpression';
import { compileExpr, isAggregate, toAggregateFunction } from '../../../lib/sql/expr/analyze';
import { outputName } from '../../../lib/sql/expr/outputName';
import { StructType } from '../../../lib/values/types';
import { WeirError } from '../../../lib/errors';

const numRuns = Number(process.env['WEIR_FUZZ_RUNS'] ?? 2000);

const schema = StructType.fromDDL(
  'a INT, d DOUBLE, s STRING, b BOOLEAN, ts TIMESTAMP, st STRUCT<x: INT, `__proto__`: STRING>, arr ARRAY<STRING>, ' +
    'm MAP<STRING, STRING>, `constructor` STRING, `prototype` INT, `eval` STRING',
);
/** A row carrying hostile values: JSON with `__proto__` keys, prototype-named fields. */
const row: Record<string, unknown> = JSON.parse(
  '{"a": 1, "d": 2.5, "s": "{\\"__proto__\\": {\\"polluted\\": 1}, \\"constructor\\": {\\"prototype\\": {\\"polluted\\": 2}}}", "b": true, ' +
    '"st": {"x": 1, "__proto__": "p"}, "arr": ["__proto__", "constructor"], "constructor": "c", "prototype": 7, "eval": "e"}',
) as Record<string, unknown>;
row['ts'] = new Date(0);
row['m'] = new Map([['__proto__', 'v'], ['constructor', 'w']]);

const ctx = { batchTimestampMs: 0 };

function snapshot(o: object): string {
  return JSON.stringify(Object.getOwnPropertyNames(o).sort()) + String(Object.getOwnPropertySymbols(o).length);
}

const SENTINEL = Symbol('sentinel');
/** Captured before the spies replace the global `Function`. */
const FUNCTION_PROTOTYPE: object = Function.prototype;

/** Runs `f` with eval and Function replaced by throwing spies; restores them. */
function withoutCodeGeneration<T>(f: () => T): T {
  const g = globalThis as unknown as Record<string, unknown>;
  const originalEval = g['eval'];
  const originalFunction = g['Function'];
  let called = '';
  g['eval'] = () => {
    called = 'eval';
    throw new Error('eval called');
  };
  g['Function'] = function FunctionSpy() {
    called = 'Function';
    throw new Error('Function called');
  };
  let result: T;
  try {
    result = f();
  } finally {
    g['eval'] = originalEval;
    g['Function'] = originalFunction;
  }
  if (called !== '') throw new Error(`${called} was called`);
  return result;
}

/** parse → name → compile → evaluate (or fold, for aggregates); only WeirErrors may escape. */
function exercise(text: string): void {
  let exprs;
  try {
    exprs = parseExpressionList(text);
  } catch (e) {
    expectWeirError(e);
    return;
  }
  for (const e of exprs) {
    try {
      outputName(e);
      if (isAggregate(e)) {
        const f = toAggregateFunction(e, schema, { streaming: false, context: () => ctx });
        f.evaluate(f.update(f.init(), f.input(row)));
      } else {
        const c = compileExpr(e, schema);
        c.evaluate(row, ctx);
        c.evaluate({}, ctx);
      }
    } catch (err) {
      expectWeirError(err);
    }
  }
}

function expectWeirError(e: unknown): void {
  if (!(e instanceof WeirError) || typeof e.code !== 'string' || e.code.length === 0) {
    throw new Error(`not a WeirError with a code: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

const HOSTILE = [
  'constructor', '__proto__', 'prototype', 'eval', 'Function', 'toString', 'valueOf', 'hasOwnProperty', 'this', 'globalThis',
  'process', 'require', '`__proto__`', '`constructor`', '`a.b`', '``', '`', "'", '"', "'__proto__'", '"constructor"',
  "'{\"__proto__\": {\"x\": 1}}'", '\\', '\\u0000', 'a', 'd', 's', 'b', 'ts', 'st', 'st.x', 'st.`__proto__`', 'arr', 'm',
  "m['__proto__']", "m['constructor']", 'arr[0]', '*', 'NULL', 'TRUE', '1', '-1', '1.5', '1e308', '10L', "X'00'",
  "DATE '2024-01-01'", 'INTERVAL 1 SECOND', "from_json(s, 'x INT, `__proto__` STRING')", "from_json(s, 'map<string,string>')",
  "from_json(s, '`constructor` STRUCT<`prototype`: STRUCT<polluted: INT>>')", 'to_json(st)', 'struct(a, s AS `__proto__`)',
  "named_struct('__proto__', 1, 'constructor', 2)", "map('__proto__', 'x')", "split(s, '')", "s RLIKE '(a+)+$'",
  "window(ts, '1 second')", 'count(*)', 'count(DISTINCT s)', 'sum(a)', 'collect_set(st)', 'explode(arr)', 'CAST(s AS INT)',
];
const OPS = [' + ', ' - ', ' * ', ' / ', ' % ', ' = ', ' <=> ', ' AND ', ' OR ', ' || ', ' LIKE ', ' IN ', ' IS ', ' NOT ', ' BETWEEN ', ' AS ', ', ', '.', '(', ')', '[', ']', '::', ' CASE WHEN ', ' THEN ', ' ELSE ', ' END', ' '];

const hostileToken = fc.constantFrom(...HOSTILE);
const call = fc
  .tuple(fc.constantFrom(...HOSTILE.filter((h) => /^[A-Za-z_`]/.test(h)), 'upper', 'concat', 'coalesce', 'to_json', 'struct', 'eval', 'constructor'), fc.array(hostileToken, { maxLength: 3 }))
  .map(([f, args]) => `${f}(${args.join(', ')})`);
const grammarShaped = fc
  .array(fc.oneof(hostileToken, call, fc.constantFrom(...OPS)), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''));
const arbitraryText = fc.string({ unit: 'binary', maxLength: 60 });
const wellFormed = fc
  .tuple(fc.oneof(hostileToken, call), fc.constantFrom(' + ', ' = ', ' || ', ' AND ', ' <=> '), fc.oneof(hostileToken, call))
  .map(([l, op, r]) => `${l}${op}${r}`);

describe('untrusted expression text', () => {
  // A non-enumerable sentinel on Object.prototype: a run that replaced or deleted prototype members would lose it.
  Object.defineProperty(Object.prototype, SENTINEL, { value: 'weir-sentinel', configurable: true, enumerable: false, writable: false });
  afterAll(() => {
    delete (Object.prototype as unknown as Record<symbol, unknown>)[SENTINEL];
  });
  const before = {
    object: snapshot(Object.prototype),
    array: snapshot(Array.prototype),
    fn: snapshot(FUNCTION_PROTOTYPE),
  };
  const sentinel = (Object.prototype as unknown as Record<symbol, unknown>)[SENTINEL];

  function checkPrototypes(): void {
    expect(snapshot(Object.prototype)).toBe(before.object);
    expect(snapshot(Array.prototype)).toBe(before.array);
    expect(snapshot(FUNCTION_PROTOTYPE)).toBe(before.fn);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((Object.prototype as unknown as Record<symbol, unknown>)[SENTINEL]).toBe(sentinel);
    const inherited: string[] = [];
    for (const k in {}) inherited.push(k);
    expect(inherited).toEqual([]);
  }

  it.each([
    ['arbitrary strings', arbitraryText],
    ['grammar-shaped strings', grammarShaped],
    ['well-formed hostile expressions', wellFormed],
  ])('%s: succeed or fail with a WeirError; no pollution, no eval', (_label, arb) => {
    withoutCodeGeneration(() => {
      fc.assert(
        fc.property(arb, (text) => {
          exercise(text);
          checkPrototypes();
        }),
        { numRuns },
      );
    });
  });

  it('decodes hostile JSON without touching prototypes', () => {
    withoutCodeGeneration(() => {
      const c = compileExpr(parseExpression("from_json(s, '`__proto__` STRUCT<polluted: INT>, `constructor` STRUCT<`prototype`: STRUCT<polluted: INT>>')"), schema);
      const v = c.evaluate(row, ctx) as Record<string, unknown>;
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
      expect(Object.hasOwn(v, '__proto__')).toBe(true);
      expect(v['constructor']).toEqual({ prototype: { polluted: 2 } });
      const m = compileExpr(parseExpression("from_json(s, 'map<string,string>')"), schema).evaluate(row, ctx) as Map<string, unknown>;
      expect(m).toBeInstanceOf(Map);
      expect([...m.keys()]).toEqual(['__proto__', 'constructor']);
      checkPrototypes();
    });
  });

  it('notices a call to eval or Function (the spies work)', () => {
    const g = globalThis as unknown as Record<string, (s: string) => unknown>;
    expect(() => withoutCodeGeneration(() => {
      try {
        g['eval']!('1');
      } catch {
        // swallowed on purpose: the spy still records the call
      }
    })).toThrow('eval was called');
    expect(() => withoutCodeGeneration(() => {
      try {
        g['Function']!('return 1');
      } catch {
        // swallowed on purpose
      }
    })).toThrow('Function was called');
  });

  it('treats hostile column and function names as unknown', () => {
    for (const name of ['__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
      const none = StructType.fromDDL('a INT');
      expect(() => compileExpr(parseExpression(`\`${name}\``), none)).toThrow(WeirError);
      expect(() => compileExpr(parseExpression(`\`${name}\`(a)`), none)).toThrow(WeirError);
    }
    checkPrototypes();
  });
});
