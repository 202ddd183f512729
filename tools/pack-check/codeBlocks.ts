/**
 * The TypeScript code blocks of README.md and docs/*.md, as a reader sees them, and how each is run in a
 * consumer project.
 *
 * Invariant: every ```ts / ```typescript block is a complete program. A block is ES module code unless its first
 * line is `// CommonJS` (then it is run in the CommonJS consumer, where top-level await does not compile); a block
 * that makes a Kafka source or sink needs a broker and runs in the Kafka jest project, with `localhost:9092`
 * replaced by the test broker's address.
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

export interface CodeBlock {
  /** `README.md:42` (the line of the opening fence). */
  readonly where: string;
  /** A file name for the block in a consumer project (no extension). */
  readonly name: string;
  readonly code: string;
  readonly module: 'cjs' | 'esm';
  readonly needsKafka: boolean;
}

const ROOT = path.join(__dirname, '..', '..');

export function documentFiles(): string[] {
  const docs = path.join(ROOT, 'docs');
  return ['README.md', ...readdirSync(docs).filter((f) => f.endsWith('.md')).sort().map((f) => path.join('docs', f))];
}

export function codeBlocks(): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const file of documentFiles()) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/^```(ts|typescript)\n([\s\S]*?)^```$/gm)) {
      const line = text.slice(0, m.index).split('\n').length;
      const code = m[2]!;
      const stem = file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
      blocks.push({
        where: `${file}:${line}`,
        name: `${stem}-${line}`,
        code,
        module: /^\/\/ CommonJS/.test(code) ? 'cjs' : 'esm',
        needsKafka: /\bkafka(Sink)?\(|format\('kafka'\)/.test(code),
      });
    }
  }
  return blocks;
}
