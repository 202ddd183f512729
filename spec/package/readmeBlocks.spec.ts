/**
 * Every TypeScript block of README.md and docs/*.md type-checks under `tsc --strict` and runs as pasted, in a
 * consumer project that installed the packed tarball (ES module blocks in the ESM consumer, `// CommonJS` blocks in
 * the CommonJS one). Blocks that need a Kafka broker run in spec/kafka/readmeBlocks.spec.ts.
 */
import { codeBlocks, type CodeBlock } from '../../tools/pack-check/codeBlocks';
import { ensurePackedConsumers } from '../../tools/pack-check/consumers';
import { runEmitted, typeCheck } from '../../tools/pack-check/consumerRun';

const all = codeBlocks();
const blocks = all.filter((b) => !b.needsKafka);

describe('README and docs code blocks, against the installed tarball', () => {
  const consumers = ensurePackedConsumers();
  const diagnostics = new Map<string, string[]>();

  beforeAll(() => {
    for (const kind of ['esm', 'cjs'] as const) {
      const mine = blocks.filter((b) => b.module === kind);
      const result = typeCheck(consumers[kind], 'docs', Object.fromEntries(mine.map((b) => [b.name, b.code])));
      for (const [name, d] of result) diagnostics.set(`${kind}:${name}`, d);
    }
  }, 300_000);

  it('has quick starts in both module systems and a Kafka block', () => {
    expect(blocks.filter((b) => b.module === 'esm').length).toBeGreaterThanOrEqual(3);
    expect(blocks.filter((b) => b.module === 'cjs').length).toBeGreaterThanOrEqual(1);
    expect(all.some((b) => b.needsKafka)).toBe(true);
  });

  it.each(blocks.map((b) => [b.where, b] as [string, CodeBlock]))('%s type-checks and runs', (_where, b) => {
    expect(diagnostics.get(`${b.module}:${b.name}`)).toEqual([]);
    const run = runEmitted(consumers[b.module], 'docs', b.name);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
