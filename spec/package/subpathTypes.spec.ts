/**
 * Every entry point of the installed package resolves, with its types, under each `moduleResolution` a consumer
 * may use (node10 needs `typesVersions`), and loads at run time from CommonJS and from an ES module.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ensurePackedConsumers } from '../../tools/pack-check/consumers';
import { runEmitted, typeCheck } from '../../tools/pack-check/consumerRun';

const ENTRIES = {
  'weir-streams': 'startQuery',
  'weir-streams/operators': 'withWatermark',
  'weir-streams/sources': 'rateMicroBatch',
  'weir-streams/sinks': 'memorySink',
  'weir-streams/functions': 'col',
  'weir-streams/types': 'StructType',
  'weir-streams/testing': 'testStream',
} as const;

const code = [
  ...Object.entries(ENTRIES).map(([spec, name], i) => `import { ${name} as e${i} } from '${spec}';`),
  `const loaded: Array<[string, unknown]> = [${Object.keys(ENTRIES).map((s, i) => `['${s}', e${i}]`).join(', ')}];`,
  `// A wrong use of a typed export must fail, so the types are real, not any.`,
  `export const wrongUse = () =>`,
  `  // @ts-expect-error rateMicroBatch takes an options object`,
  `  e2(42);`,
  `for (const [spec, value] of loaded) if (typeof value !== 'function') throw new Error(spec + ' did not load');`,
  `console.log('loaded ' + loaded.length);`,
].join('\n');

const RESOLUTIONS = [
  { consumer: 'cjs', moduleResolution: 'node10', module: 'commonjs' },
  { consumer: 'cjs', moduleResolution: 'node16', module: 'node16' },
  { consumer: 'esm', moduleResolution: 'nodenext', module: 'nodenext' },
  { consumer: 'esm', moduleResolution: 'bundler', module: 'esnext' },
] as const;

describe('entry points of the installed package', () => {
  const consumers = ensurePackedConsumers();

  it.each(RESOLUTIONS.map((r) => [r.moduleResolution, r] as const))('types resolve under moduleResolution %s', (_n, r) => {
    const dir = consumers[r.consumer];
    const config = `tsconfig.${r.moduleResolution}.json`;
    writeFileSync(path.join(dir, config), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { module: r.module, moduleResolution: r.moduleResolution } }));
    const d = typeCheck(dir, `entries-${r.moduleResolution}`, { entries: code }, config);
    expect(d.get('entries')).toEqual([]);
  }, 120_000);

  it.each(['cjs', 'esm'] as const)('every entry point loads from %s', (kind) => {
    const dir = consumers[kind];
    const group = kind === 'cjs' ? 'entries-node10' : 'entries-nodenext';
    expect(typeCheck(dir, group, { entries: code }, kind === 'cjs' ? 'tsconfig.node10.json' : 'tsconfig.nodenext.json').get('entries')).toEqual([]);
    const run = runEmitted(dir, group, 'entries');
    expect({ status: run.status, stdout: run.stdout.trim(), stderr: run.stderr }).toEqual({ status: 0, stdout: `loaded ${Object.keys(ENTRIES).length}`, stderr: '' });
  }, 120_000);
});
