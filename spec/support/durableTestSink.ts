/**
 * A durable, idempotent test sink for crash tests: batch N is written to `<dir>/batch-<N>.json` (temp + fsync +
 * rename). A re-delivered batch whose rows differ from what is on disk is recorded as a conflict file, so a
 * re-run with other offsets than the logged ones is caught instead of silently overwritten.
 */
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Row, Sink } from '../../lib/contracts';
import { writeFileDurably } from '../../lib/checkpoint/durableWrite';

export function durableTestSink(dir: string, options: { maxBatchId?: number } = {}): Sink<Row> {
  const { maxBatchId = Number.MAX_SAFE_INTEGER } = options;
  return {
    description: `DurableTestSink[${dir}]`,
    async open() {
      await fs.mkdir(dir, { recursive: true });
    },
    async addBatch(batchId, rows) {
      if (batchId > maxBatchId) return;
      const file = path.join(dir, `batch-${String(batchId).padStart(6, '0')}.json`);
      const text = JSON.stringify(rows);
      if (existsSync(file)) {
        if (readFileSync(file, 'utf8') !== text) {
          await writeFileDurably(path.join(dir, `conflict-${batchId}-${Date.now()}.json`), text);
        }
        return;
      }
      await writeFileDurably(file, text);
    },
  };
}

/** Reads every batch file of a durable test sink folder. */
export function readDurableTestSink(dir: string): { batches: Map<number, Row[]>; conflicts: string[] } {
  const batches = new Map<number, Row[]>();
  const conflicts: string[] = [];
  if (!existsSync(dir)) return { batches, conflicts };
  for (const name of readdirSync(dir).sort()) {
    const m = /^batch-(\d+)\.json$/.exec(name);
    if (m) batches.set(Number(m[1]), JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Row[]);
    else if (name.startsWith('conflict-')) conflicts.push(name);
  }
  return { batches, conflicts };
}
