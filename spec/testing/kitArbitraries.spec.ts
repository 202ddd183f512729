/**
 * The generators of the property kit keep their promises: keyed events stay in range, on ticks, and at most D ms
 * behind the newest event before them (bounded lateness), in order for lateness 0, in any order when unbounded;
 * cuttings are consecutive, non-empty and bounded in count; `cut` and `cutAt` split deterministically; and
 * weir-streams/testing loads without fast-check, whose builders then fail with a WeirError naming it.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { batchedEvents, cut, cutAt, keyedEvents, microBatches } from '../../lib/testing';

const numRuns = Number(process.env.WEIR_PROPERTY_RUNS ?? 100);
const T0 = Date.parse('2024-01-01T00:00:00Z');
const times = (events: ReadonlyArray<{ ts: Date }>) => events.map((e) => e.ts.getTime());
/** How late each event is behind the newest before it (0 for the first and for events that advance time). */
function lateness(ts: readonly number[]): number[] {
  let newest = -Infinity;
  return ts.map((t) => {
    const late = Math.max(0, newest - t);
    newest = Math.max(newest, t);
    return late;
  });
}

describe('keyedEvents', () => {
  it('bounded lateness: in range, on ticks, keys from the set, at most D behind the newest event so far', () => {
    const cases = fc
      .tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 5 }))
      .chain(([D, keys]) => fc.tuple(fc.constant(D), fc.constant(keys), keyedEvents({ keys, lateness: D, spanMs: 60_000 })));
    fc.assert(
      fc.property(cases, ([D, keys, events]) => {
        for (const e of events) {
          expect(e.ts.getTime()).toBeGreaterThanOrEqual(T0);
          expect(e.ts.getTime()).toBeLessThanOrEqual(T0 + 60_000);
          expect((e.ts.getTime() - T0) % 1000).toBe(0);
          expect(Number(e.key.slice(1))).toBeLessThan(keys);
          expect(e.value).toBeGreaterThanOrEqual(0);
        }
        for (const late of lateness(times(events))) expect(late).toBeLessThanOrEqual(D);
      }),
      { numRuns },
    );
  });

  it('generates events exactly D late (the boundary of a watermark delay D) and lateness 0 is time order', () => {
    const samples = fc.sample(keyedEvents({ lateness: 5_000, minLength: 10 }), { numRuns: 50, seed: 1 });
    expect(samples.some((events) => lateness(times(events)).includes(5_000))).toBe(true);
    for (const events of fc.sample(keyedEvents({ minLength: 5 }), { numRuns: 50, seed: 2 })) {
      const ts = times(events);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
    }
  });

  it("unbounded lateness goes beyond any delay but stays in the range; options name the columns and payload", () => {
    const samples = fc.sample(
      keyedEvents({ keys: ['x', 'y'], keyColumn: 'word', timeColumn: 'at', startMs: 0, spanMs: 120_000, tickMs: 500, lateness: 'unbounded', payload: fc.record({ v: fc.constant(1) }) }),
      { numRuns: 50, seed: 3 },
    );
    const all = samples.flat();
    expect(all.every((e) => ['x', 'y'].includes(e.word) && e.v === 1 && e.at.getTime() % 500 === 0 && e.at.getTime() <= 120_000)).toBe(true);
    expect(Object.keys(all[0]!).sort()).toEqual(['at', 'v', 'word']);
    expect(Math.max(...samples.map((events) => Math.max(0, ...lateness(events.map((e) => e.at.getTime())))))).toBeGreaterThan(60_000);
  });

  it('rejects invalid options with INVALID_ARGUMENT', () => {
    for (const options of [{ keys: 0 }, { keys: [] }, { lateness: -1 }, { tickMs: 0 }, { minLength: 5, maxLength: 2 }, { keyColumn: 'ts' }]) {
      expect(() => keyedEvents(options as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});

describe('microBatches and batchedEvents', () => {
  const consecutive = <T>(events: readonly T[], batches: readonly T[][], max: number) => {
    expect(batches.flat()).toEqual(events);
    expect(batches.every((b) => b.length > 0)).toBe(true);
    expect(batches.length).toBeLessThanOrEqual(max);
  };

  it('cut events into consecutive, non-empty batches, at most maxBatches', () => {
    fc.assert(
      fc.property(fc.array(fc.nat()), fc.integer({ min: 1, max: 12 }), fc.integer(), (events, max, seed) => {
        for (const batches of fc.sample(microBatches(events, { maxBatches: max }), { numRuns: 3, seed })) consecutive(events, batches, max);
        for (const { events: evs, batches } of fc.sample(batchedEvents(fc.array(fc.nat()), { maxBatches: max }), { numRuns: 3, seed })) {
          consecutive(evs, batches, max);
        }
      }),
      { numRuns },
    );
  });

  it('reach both extremes: one batch and one event per batch', () => {
    const counts = fc.sample(microBatches([1, 2, 3, 4]), { numRuns: 200, seed: 4 }).map((b) => b.length);
    expect(counts).toContain(1);
    expect(counts).toContain(4);
    expect(fc.sample(microBatches([]), 1)).toEqual([[]]);
  });
});

describe('cut and cutAt', () => {
  it('cut splits by sizes, the rest forming a last batch', () => {
    expect(cut([1, 2, 3, 4, 5], [2, 2])).toEqual([[1, 2], [3, 4], [5]]);
    expect(cut([1, 2, 3], [1, 5, 5])).toEqual([[1], [2, 3]]);
    expect(cut([1, 2], [])).toEqual([[1, 2]]);
    expect(cut([], [3])).toEqual([]);
    expect(() => cut([1], [0])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('cutAt starts a batch at each point inside the array, in any order, repeats once', () => {
    expect(cutAt([1, 2, 3, 4, 5], [3, 1, 3])).toEqual([[1], [2, 3], [4, 5]]);
    expect(cutAt([1, 2, 3], [0, 3, 9, -1])).toEqual([[1, 2, 3]]);
    expect(cutAt([], [1])).toEqual([]);
    expect(() => cutAt([1, 2], [0.5])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('without fast-check installed', () => {
  it('weir-streams/testing loads, and the arbitrary builders throw a WeirError naming the package', () => {
    // Node resolves 'fast-check' as if it were not installed; everything else resolves as usual.
    const script = `
      const Module = require('node:module');
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request === 'fast-check' || request.startsWith('fast-check/')) {
          const e = new Error("Cannot find module '" + request + "'"); e.code = 'MODULE_NOT_FOUND'; throw e;
        }
        return resolve.call(this, request, ...rest);
      };
      const kit = require(${JSON.stringify(path.join(__dirname, '../../lib/testing'))});
      const results = { cut: kit.cut([1, 2, 3], [2]) };
      for (const name of ['keyedEvents', 'microBatches', 'batchedEvents']) {
        try { kit[name](name === 'keyedEvents' ? {} : []); results[name] = 'no error'; }
        catch (e) { results[name] = { name: e.name, code: e.code, module: e.context && e.context.module, message: e.message }; }
      }
      process.stdout.write(JSON.stringify(results));
    `;
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: path.join(__dirname, '../..'), encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const results = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(results.cut).toEqual([[1, 2], [3]]);
    for (const name of ['keyedEvents', 'microBatches', 'batchedEvents']) {
      expect(results[name]).toEqual({
        name: 'WeirError',
        code: 'INVALID_ARGUMENT',
        module: 'fast-check',
        message: `${name}() needs the optional peer dependency fast-check, which is not installed: npm install --save-dev fast-check`,
      });
    }
  });
});
