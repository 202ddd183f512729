/**
 * The function registry's structure: every built-in name belongs to exactly one category table, the registry is
 * their union, generators and time windows sit in their own tables, and aggregates are not scalar functions.
 * The functions' behaviour is covered by spec/sql/functions, spec/sql/expr/analyze.spec.ts and the Spark goldens.
 */
import { FUNCTION_TABLES, functionNames, lookupFunction } from '../../../../lib/sql/expr/functions/registry';
import { AGGREGATE_NAMES } from '../../../../lib/sql/expr/functions/aggregates';

describe('the function registry', () => {
  const tables = Object.entries(FUNCTION_TABLES);

  it('is the disjoint union of the category tables', () => {
    const seen = new Map<string, string>();
    for (const [category, table] of tables) {
      for (const name of table.keys()) {
        expect([name, seen.get(name)]).toEqual([name, undefined]);
        seen.set(name, category);
      }
    }
    expect([...seen.keys()].sort()).toEqual(functionNames());
    for (const [, table] of tables) for (const [name, fn] of table) expect(lookupFunction(name)).toBe(fn);
  });

  it('keeps generators and time windows in their own tables', () => {
    for (const [category, table] of tables) {
      const kinds = new Set([...table.values()].map((f) => f.kind));
      const expected = category === 'generator' ? 'generator' : category === 'timeWindow' ? null : 'scalar';
      if (expected !== null) expect([category, [...kinds]]).toEqual([category, [expected]]);
    }
    expect(lookupFunction('window')?.kind).toBe('window');
    expect(lookupFunction('session_window')?.kind).toBe('window');
  });

  it('holds no aggregate and no prototype name', () => {
    for (const name of AGGREGATE_NAMES) expect(lookupFunction(name)).toBeUndefined();
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(lookupFunction(name)).toBeUndefined();
  });
});
