/**
 * Type inference for text tokens (CSV with `inferSchema`, partition folder values): Spark's order int → bigint →
 * double → boolean → date (`yyyy-MM-dd`) → timestamp → string, merged to the wider type across rows (date and
 * timestamp merge to timestamp).
 *
 * Invariant: the inferred type of a token always converts that token back (csvToValue succeeds).
 */
import { BooleanType, DataType, DateType, DoubleType, IntegerType, LongType, StringType, TimestampType, stringToDate, stringToTimestamp } from '../values/types';

/** The narrowest type Spark infers for one token. */
export function inferTokenType(token: string): DataType {
  const t = token.trim();
  if (/^[+-]?\d+$/.test(t)) {
    const n = Number(t);
    if (n >= -2147483648 && n <= 2147483647) return new IntegerType();
    if (Number.isSafeInteger(n)) return new LongType();
    return new DoubleType();
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) || t === 'NaN' || /^[+-]?Infinity$/.test(t)) return new DoubleType();
  if (/^(true|false)$/i.test(t)) return new BooleanType();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t) && stringToDate(t) !== null) return new DateType();
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(t) && stringToTimestamp(t) !== null) return new TimestampType();
  return new StringType();
}

const NUMERIC_ORDER = ['integer', 'long', 'double'];

/** The wider of two inferred types. */
export function mergeTokenTypes(a: DataType, b: DataType): DataType {
  if (a.equals(b)) return a;
  const ia = NUMERIC_ORDER.indexOf(a.typeName);
  const ib = NUMERIC_ORDER.indexOf(b.typeName);
  if (ia >= 0 && ib >= 0) return ia > ib ? a : b;
  const temporal = (t: DataType) => t instanceof DateType || t instanceof TimestampType;
  if (temporal(a) && temporal(b)) return new TimestampType();
  return new StringType();
}
