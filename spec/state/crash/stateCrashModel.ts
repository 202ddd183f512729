/**
 * The deterministic workload of the state crash test, shared by the child (which writes it) and the parent
 * (which checks what survived): per operator and batch, a fixed list of puts and deletes of keys `['k', n]`, and
 * a running sum under `['sum']` that each batch reads and rewrites (sum after batch b = (b+1)(b+2)/2).
 */
import { encodeKey } from '../../../lib/state/keyEncoding';
import { rng } from '../../support/crashChild';

export const OPERATORS = ['agg', 'dedupe/1'] as const;
export const KEY_SPACE = 400;
export const SUM_KEY = encodeKey(['sum']);

/** A stored value: which batch wrote it, with a Date and some padding so batches have some size. */
export interface CrashValue {
  readonly batch: number;
  readonly key: number;
  readonly at: Date;
  readonly pad: string;
}

export const dataKey = (n: number): Uint8Array => encodeKey(['k', n]);

export const sumAfter = (batch: number): number => ((batch + 1) * (batch + 2)) / 2;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The writes of `operator` in `batch`: `[key, value]`, `null` = delete. Every 10th batch is large. */
export function writesOf(operator: string, batch: number): Array<[number, CrashValue | null]> {
  const random = rng(hash(operator) ^ Math.imul(batch + 1, 2654435761));
  const count = batch % 10 === 9 ? 300 : 25;
  const out: Array<[number, CrashValue | null]> = [];
  for (let j = 0; j < count; j += 1) {
    const key = Math.floor(random() * KEY_SPACE);
    const remove = random() < 0.2;
    out.push([key, remove ? null : { batch, key, at: new Date(1_700_000_000_000 + batch * 1000), pad: 'x'.repeat(key % 40) }]);
  }
  return out;
}

/** The data keys of `operator` after batches 0..batch (batch -1 = empty). */
export function modelAfter(operator: string, batch: number, from?: { batch: number; model: Map<number, CrashValue> }): Map<number, CrashValue> {
  const model = new Map(from?.model ?? []);
  for (let b = (from?.batch ?? -1) + 1; b <= batch; b += 1) {
    for (const [key, value] of writesOf(operator, b)) {
      if (value === null) model.delete(key);
      else model.set(key, value);
    }
  }
  return model;
}
