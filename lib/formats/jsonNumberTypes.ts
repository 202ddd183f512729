/**
 * The types Spark's JSON inference gives numbers, from their literal text: `JSON.parse` turns `1.0` into `1` and
 * `1.50` into `1.5`, so the literal decides what the parsed value cannot: a floating literal is DOUBLE (also when
 * it is integral, as `1.0`), or with `prefersDecimal` the DECIMAL of its digits (`1.50` → decimal(3,2)), as
 * Jackson's `getDecimalValue` gives it; an integer literal is BIGINT (DOUBLE beyond 2^53, where a JavaScript
 * number stops being exact).
 *
 * Invariant: the type of every number at one path (field names, `[]` for array elements) is merged with Spark's
 * `JsonInferSchema.compatibleType` for BIGINT, DECIMAL and DOUBLE; only numeric types of an inferred schema are
 * replaced, so a field that also holds strings or objects keeps what the general inference gave it.
 */
import { ArrayType, DataType, DecimalType, DoubleType, LongType, StructField, StructType } from '../values/types';

/** Spark's DecimalType.MAX_PRECISION. */
const MAX_PRECISION = 38;

/** The type of one number literal (strict JSON syntax). */
export function numberLiteralType(literal: string, prefersDecimal: boolean): DataType {
  const m = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (m === null) return new DoubleType();
  const [, intPart = '', frac, exp] = m;
  if (frac === undefined && exp === undefined) {
    return Number.isSafeInteger(Number(literal)) ? new LongType() : new DoubleType();
  }
  if (!prefersDecimal) return new DoubleType();
  // Java's BigDecimal of the literal: unscaled digits and scale; a negative scale (1e5) is widened to 0.
  let digits = `${intPart}${frac ?? ''}`.replace(/^0+(?=\d)/, '');
  let scale = (frac?.length ?? 0) - Number(exp ?? 0);
  if (scale < 0) {
    digits = digits === '0' ? '0' : digits + '0'.repeat(-scale);
    scale = 0;
  }
  const precision = Math.max(digits.length, scale);
  return precision <= MAX_PRECISION ? new DecimalType(precision, scale) : new DoubleType();
}

/** Spark's `compatibleType` restricted to BIGINT, DECIMAL and DOUBLE. */
export function mergeNumberTypes(a: DataType, b: DataType): DataType {
  if (a instanceof DoubleType || b instanceof DoubleType) return new DoubleType();
  if (a instanceof LongType && b instanceof LongType) return a;
  const da = a instanceof DecimalType ? a : new DecimalType(20, 0);
  const db = b instanceof DecimalType ? b : new DecimalType(20, 0);
  // A decimal wide enough for every long absorbs it (findTightestCommonType), otherwise BIGINT is decimal(20,0).
  if (a instanceof LongType && db.precision - db.scale >= 20) return db;
  if (b instanceof LongType && da.precision - da.scale >= 20) return da;
  const scale = Math.max(da.scale, db.scale);
  const range = Math.max(da.precision - da.scale, db.precision - db.scale);
  return range + scale > MAX_PRECISION ? new DoubleType() : new DecimalType(range + scale, scale);
}

/** A path key: field names and `[]` for array elements. */
function keyOf(path: readonly string[]): string {
  return JSON.stringify(path);
}

type Frame = { kind: 'object'; key: string | undefined } | { kind: 'array' };

/**
 * Adds the number literals of one JSON text (a record, or an array of records) to `types`, by path.
 * Text that is not JSON is scanned as far as it goes (its record is left out of inference anyway).
 */
export function collectNumberTypes(text: string, prefersDecimal: boolean, types: Map<string, DataType>): void {
  const stack: Frame[] = [];
  // A top-level array holds records: its elements' paths start at the record.
  let topLevelArray = false;
  const path = (): string[] => {
    const out: string[] = [];
    stack.forEach((f, i) => {
      if (f.kind === 'object') out.push(f.key ?? '');
      else if (!(i === 0 && topLevelArray)) out.push('[]');
    });
    return out;
  };
  let expectKey = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i] as string;
    if (c === '{') {
      stack.push({ kind: 'object', key: undefined });
      expectKey = true;
      i++;
    } else if (c === '[') {
      if (stack.length === 0) topLevelArray = true;
      stack.push({ kind: 'array' });
      expectKey = false;
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ',') {
      expectKey = stack.at(-1)?.kind === 'object';
      i++;
    } else if (c === ':') {
      expectKey = false;
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (expectKey && top?.kind === 'object') {
        try {
          top.key = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          return;
        }
      }
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (m === null) return;
      const key = keyOf(path());
      const type = numberLiteralType(m[0], prefersDecimal);
      const seen = types.get(key);
      types.set(key, seen === undefined ? type : mergeNumberTypes(seen, type));
      i += m[0].length;
    } else {
      i++;
    }
  }
}

/** `schema` with each BIGINT/DOUBLE replaced by the type of the number literals at its path. */
export function withNumberTypes(schema: StructType, types: ReadonlyMap<string, DataType>): StructType {
  const fix = (t: DataType, path: string[]): DataType => {
    if (t instanceof LongType || t instanceof DoubleType) return types.get(keyOf(path)) ?? t;
    if (t instanceof ArrayType) return new ArrayType(fix(t.elementType, [...path, '[]']), t.containsNull);
    if (t instanceof StructType) return new StructType(t.fields.map((f) => new StructField(f.name, fix(f.dataType, [...path, f.name]), f.nullable)));
    return t;
  };
  return fix(schema, []) as StructType;
}
