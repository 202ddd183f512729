/**
 * Per-file statistics of the `add` actions weir writes (PROTOCOL.md "Per-file Statistics"): `numRecords`, and
 * for each top-level column `nullCount`, plus `minValues` / `maxValues` for the types Delta collects them for
 * (numbers, strings, dates, timestamps).
 *
 * Invariant: the stats are tight and true of the file's rows: every non-null value v of a column lies in
 * [minValues, maxValues]; a column whose bounds cannot be stated exactly (a string over 32 characters, NaN, a
 * boolean, nested or binary values) gets no min/max, never a wrong one.
 */
import type { Row } from '../../lib/contracts';
import { ByteType, DateType, DoubleType, FloatType, IntegerType, LongType, ShortType, StringType, TimestampNTZType, TimestampType, formatDate, type StructType } from '../../lib/values/types';
import type { FileStats } from './actions';

/** Delta's `delta.dataSkippingStringPrefixLength` (32): longer strings get no exact bound here. */
const STRING_PREFIX = 32;

/** Delta's JSON form of a timestamp bound (ISO-8601 with milliseconds, UTC). */
function timestampText(ms: number): string {
  return new Date(ms).toISOString();
}

/** The stats of `rows` over the columns of `dataSchema` (partition columns excluded). */
export function computeStats(rows: readonly Row[], dataSchema: StructType): FileStats {
  const minValues: Record<string, unknown> = {};
  const maxValues: Record<string, unknown> = {};
  const nullCount: Record<string, number> = {};
  for (const f of dataSchema.fields) {
    const t = f.dataType;
    const numeric = t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType || t instanceof LongType || t instanceof FloatType || t instanceof DoubleType;
    const time = t instanceof DateType || t instanceof TimestampType || t instanceof TimestampNTZType;
    const str = t instanceof StringType;
    let nulls = 0;
    let min: number | string | undefined;
    let max: number | string | undefined;
    let exact = numeric || time || str;
    for (const r of rows) {
      const v = r[f.name];
      if (v === null || v === undefined) {
        nulls += 1;
        continue;
      }
      if (!exact) continue;
      let k: number | string;
      if (time) k = v instanceof Date ? v.getTime() : Number(v);
      else if (numeric) k = typeof v === 'bigint' ? Number(v) : (v as number);
      else k = v as string;
      if ((typeof k === 'number' && Number.isNaN(k)) || (typeof k === 'string' && k.length > STRING_PREFIX)) {
        exact = false;
        continue;
      }
      if (min === undefined || k < min) min = k;
      if (max === undefined || k > max) max = k;
    }
    nullCount[f.name] = nulls;
    if (exact && min !== undefined && max !== undefined) {
      const show = (x: number | string): unknown =>
        t instanceof DateType ? formatDate(x as number) : time ? timestampText(x as number) : x;
      minValues[f.name] = show(min);
      maxValues[f.name] = show(max);
    }
  }
  return { numRecords: rows.length, minValues, maxValues, nullCount };
}
