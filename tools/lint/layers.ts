/**
 * weir's layers: which folder a product file belongs to and which layers it may import. Arrows point down; a layer
 * may always import itself. docs/ARCHITECTURE.md explains each layer; `npm run lint:imports` enforces this table
 * (type-only imports included: a type is an arrow too) and that no runtime import cycle exists.
 */
export interface Layer {
  readonly name: string;
  /** Path prefixes (files or folders ending in `/`); the longest matching prefix of any layer wins. */
  readonly paths: readonly string[];
  readonly mayImport: readonly string[];
}

export const LAYERS: readonly Layer[] = [
  { name: 'core', paths: ['lib/contracts.ts', 'lib/errors.ts', 'lib/errorConditions/', 'lib/time/', 'lib/util/'], mayImport: [] },
  { name: 'values', paths: ['lib/values/'], mayImport: ['core'] },
  { name: 'aggregate', paths: ['lib/aggregate/'], mayImport: ['core', 'values'] },
  { name: 'window', paths: ['lib/window/'], mayImport: ['core', 'values'] },
  { name: 'checkpoint', paths: ['lib/checkpoint/'], mayImport: ['core'] },
  { name: 'state', paths: ['lib/state/'], mayImport: ['core', 'values'] },
  { name: 'expr', paths: ['lib/sql/expr/'], mayImport: ['core', 'values', 'aggregate', 'window'] },
  /** What every connector shares: the provider contract (Spark's DataSourceRegister/TableProvider) and its options. */
  { name: 'connector', paths: ['lib/connector/'], mayImport: ['core', 'values'] },
  { name: 'formats', paths: ['lib/formats/'], mayImport: ['core', 'values', 'checkpoint', 'connector'] },
  { name: 'plan', paths: ['lib/plan/'], mayImport: ['core', 'values'] },
  {
    name: 'operators',
    paths: ['operators/', 'lib/join/', 'lib/dedup/', 'lib/groupState/'],
    mayImport: ['core', 'values', 'aggregate', 'window', 'state', 'expr', 'plan'],
  },
  { name: 'engine', paths: ['lib/engine/'], mayImport: ['core', 'values', 'checkpoint', 'state', 'plan'] },
  { name: 'query', paths: ['lib/query/'], mayImport: ['core', 'values', 'checkpoint', 'state', 'plan', 'engine', 'operators'] },
  {
    name: 'connectors',
    // One folder per connector, the registry of their providers, and the public entry points that re-export them.
    // A folder under connectors/ that is not listed here belongs to no layer, which the lint reports.
    paths: [
      'sources/index.ts',
      'sinks/index.ts',
      'connectors/registry.ts',
      ...['console', 'delta', 'files', 'foreach', 'kafka', 'memory', 'noop', 'observable', 'rate', 'socket'].map((c) => `connectors/${c}/`),
    ],
    mayImport: ['core', 'values', 'checkpoint', 'state', 'formats', 'plan', 'connector', 'engine'],
  },
  { name: 'functions', paths: ['lib/sql/functions/'], mayImport: ['core', 'values', 'expr', 'aggregate', 'window'] },
  {
    name: 'dataframe',
    paths: ['lib/sql/dataframe/'],
    mayImport: ['core', 'values', 'aggregate', 'window', 'checkpoint', 'state', 'expr', 'formats', 'plan', 'connector', 'operators', 'engine', 'query', 'connectors', 'functions'],
  },
  {
    name: 'testing',
    paths: ['lib/testing/'],
    mayImport: ['core', 'values', 'aggregate', 'window', 'checkpoint', 'state', 'expr', 'plan', 'connector', 'operators', 'engine', 'query', 'connectors', 'functions', 'dataframe'],
  },
  {
    name: 'entry',
    paths: ['index.ts'],
    mayImport: ['core', 'values', 'aggregate', 'window', 'checkpoint', 'state', 'expr', 'formats', 'plan', 'connector', 'operators', 'engine', 'query', 'connectors', 'functions', 'dataframe', 'testing'],
  },
];

/**
 * Upward imports allowed on purpose, each with its reason. Only type-only imports may be excepted: a runtime
 * upward import is always a violation.
 */
export const TYPE_ONLY_EXCEPTIONS: ReadonlyArray<{ readonly from: string; readonly to: string; readonly why: string }> = [
  {
    from: 'connectors/memory/MemoryStream.ts',
    to: 'lib/sql/dataframe/DataFrame.ts',
    why: "Spark's MemoryStream(session, schema).toDF() returns a DataFrame; the session is passed in structurally, so no code of the DataFrame face is loaded",
  },
];

/** The layer of a product file, or undefined for a file no layer claims (an error of its own). */
export function layerOf(file: string, layers: readonly Layer[] = LAYERS): Layer | undefined {
  let best: { layer: Layer; length: number } | undefined;
  for (const layer of layers) {
    for (const p of layer.paths) {
      const match = p.endsWith('/') ? file.startsWith(p) : file === p;
      if (match && (!best || p.length > best.length)) best = { layer, length: p.length };
    }
  }
  return best?.layer;
}
