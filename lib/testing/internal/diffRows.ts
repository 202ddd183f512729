/** Multiset difference of two row lists, for failure messages. */
import { rowKey } from './rowKey';

/** The rows of `actual` not matched in `expected` (unexpected) and those of `expected` not matched in `actual` (missing). */
export function diffRows<R>(actual: readonly R[], expected: readonly R[]): { missing: R[]; unexpected: R[] } {
  const pending = new Map<string, R[]>();
  for (const row of expected) {
    const key = rowKey(row);
    const list = pending.get(key);
    if (list) list.push(row);
    else pending.set(key, [row]);
  }
  const unexpected: R[] = [];
  for (const row of actual) {
    const list = pending.get(rowKey(row));
    if (list && list.length > 0) list.pop();
    else unexpected.push(row);
  }
  return { missing: [...pending.values()].flat(), unexpected };
}
