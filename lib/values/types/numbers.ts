/**
 * Spark's number conversions, bit for bit where a JS number can hold the result: string → integral
 * (`UTF8String.toLong`), string → double (`java.lang.Double.parseDouble` plus Spark's `inf`/`nan` literals),
 * double → integral (the JVM's saturating `d2i`/`d2l`), integral narrowing (two's-complement wrap),
 * DECIMAL rounding (`ROUND_HALF_UP`) and the JVM's `Double.toString` / `Float.toString` / `BigDecimal.toString`.
 *
 * Invariant: every function is pure and total: it returns a value or null ("Spark gives NULL here"), never
 * throws.
 */

/** Spark's `isWhitespaceOrISOControl` on one UTF-16 unit: 0x00-0x20 and 0x7F. */
export function isWhitespaceOrControl(code: number): boolean {
  return code <= 0x20 || code === 0x7f;
}

/** Trims what Spark's `UTF8String.trimAll` trims: whitespace and ISO control characters, both ends. */
export function trimAll(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWhitespaceOrControl(s.charCodeAt(a))) a++;
  while (b > a && isWhitespaceOrControl(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/** Java's `String.trim`: characters up to U+0020, both ends. */
export function trimJava(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

const INTEGRAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * Spark's non-ANSI CAST(string AS TINYINT/SMALLINT/INT/BIGINT): trims, takes an optional sign and digits, and
 * accepts (then truncates) a fractional part of digits only — `'1.9'` → 1, `'.5'` → 0, `'1e3'` → null.
 * Out of the type's range → null.
 */
export function parseIntegral(s: string, bits: number): number | null {
  const t = trimAll(s);
  if (t === '') return null;
  const m = INTEGRAL_TEXT.exec(t);
  if (!m) return null;
  if (m[1] !== '' && t.length === 1) return null; // a sign alone
  let v = BigInt(m[2] === '' ? '0' : m[2]);
  if (m[1] === '-') v = -v;
  const limit = 1n << BigInt(bits - 1);
  if (v < -limit || v >= limit) return null;
  return Number(v);
}

const JAVA_DECIMAL_FLOAT = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;
const JAVA_HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)[fFdD]?$/;

/**
 * Spark's non-ANSI CAST(string AS DOUBLE): Java's `Double.parseDouble` grammar (after `String.trim`; `'1e3'`,
 * `'1.5d'`, `'NaN'`, `'Infinity'`, hex floats), then Spark's special literals (`inf`, `+inf`, `infinity`,
 * `-inf`, `nan`, any case); anything else → null.
 */
export function parseJavaDouble(s: string): number | null {
  const t = trimJava(s);
  if (JAVA_DECIMAL_FLOAT.test(t)) return Number(t.replace(/[fFdD]$/, ''));
  const hex = JAVA_HEX_FLOAT.exec(t);
  if (hex && (hex[2] !== '' || (hex[3] ?? '') !== '')) {
    const frac = hex[3] ?? '';
    const mantissa = BigInt('0x' + (hex[2] + frac || '0'));
    const v = Number(mantissa) * 2 ** (Number(hex[4]) - 4 * frac.length);
    return hex[1] === '-' ? -v : v;
  }
  switch (t.toLowerCase()) {
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    case 'nan':
      return NaN;
    default:
      return null;
  }
}

/** Narrows an integral number to `bits` with two's-complement wrap-around (Scala's `.toInt`, `.toShort`, ...). */
export function wrapIntegral(x: number, bits: number): number {
  if (!Number.isFinite(x)) return 0; // as ToInt32 does
  switch (bits) {
    case 8:
      return (x << 24) >> 24;
    case 16:
      return (x << 16) >> 16;
    case 32:
      return x | 0;
    default: {
      if (Number.isSafeInteger(x)) return x === 0 ? 0 : x;
      return Number(BigInt.asIntN(64, BigInt(Math.trunc(x))));
    }
  }
}

const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);
const LONG_LIMIT = 2 ** 63;

/**
 * A FLOAT/DOUBLE to an integral type as Spark's non-ANSI cast does: the JVM's saturating conversion to int (or
 * long for BIGINT), NaN → 0, then a two's-complement wrap for TINYINT/SMALLINT.
 */
export function fractionalToIntegral(d: number, bits: number): number {
  if (Number.isNaN(d)) return 0;
  if (bits === 64) {
    if (d >= LONG_LIMIT) return LONG_LIMIT;
    if (d <= -LONG_LIMIT) return -LONG_LIMIT;
    return Math.trunc(d) || 0;
  }
  const i = d >= INT_MAX ? INT_MAX : d <= INT_MIN ? INT_MIN : Math.trunc(d) || 0;
  return bits === 32 ? i : wrapIntegral(i, bits);
}

/** A decimal number as `unscaled × 10^-scale` (Java's BigDecimal). */
export interface BigDecimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

const BIG_DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Java's `new BigDecimal(text.trim())`; null when the text is not a decimal number. */
export function parseBigDecimal(s: string): BigDecimal | null {
  const m = BIG_DECIMAL_TEXT.exec(trimJava(s));
  if (!m) return null;
  const int = m[2];
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp)) return null;
  const unscaled = BigInt(m[1] + (int + frac || '0'));
  return { unscaled, scale: frac.length - exp };
}

/** The shortest decimal that reads back as `x` (Scala's `BigDecimal(double)`); null for NaN and infinities. */
export function bigDecimalOfNumber(x: number): BigDecimal | null {
  if (!Number.isFinite(x)) return null;
  return parseBigDecimal(String(x));
}

const TEN = 10n;

/** `d` rounded to `scale` digits after the point, half away from zero (`ROUND_HALF_UP`). */
export function setScale(d: BigDecimal, scale: number): BigDecimal {
  if (d.scale <= scale) return { unscaled: d.unscaled * TEN ** BigInt(scale - d.scale), scale };
  const div = TEN ** BigInt(d.scale - scale);
  const negative = d.unscaled < 0n;
  const abs = negative ? -d.unscaled : d.unscaled;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return { unscaled: negative ? -q : q, scale };
}

/**
 * Spark's `changePrecision` for CAST(... AS DECIMAL(p, s)): rounds half up to `s` digits, then null when the
 * result needs more than `p` digits.
 */
export function toDecimalPrecision(d: BigDecimal, precision: number, scale: number): BigDecimal | null {
  const r = setScale(d, scale);
  const abs = r.unscaled < 0n ? -r.unscaled : r.unscaled;
  return abs < TEN ** BigInt(precision) ? r : null;
}

/** The JS number nearest to `d`. */
export function bigDecimalToNumber(d: BigDecimal): number {
  return Number(`${d.unscaled}e${-d.scale}`);
}

/** Java's `BigDecimal.toString` (scientific notation when the exponent is below -6: `0E-10`, `1.0E-7`). */
export function bigDecimalToString(d: BigDecimal): string {
  const negative = d.unscaled < 0n;
  const coeff = (negative ? -d.unscaled : d.unscaled).toString();
  const sign = negative ? '-' : '';
  const adjusted = -d.scale + (coeff.length - 1);
  if (d.scale >= 0 && adjusted >= -6) {
    if (d.scale === 0) return sign + coeff;
    if (coeff.length > d.scale) {
      return `${sign}${coeff.slice(0, coeff.length - d.scale)}.${coeff.slice(coeff.length - d.scale)}`;
    }
    return `${sign}0.${'0'.repeat(d.scale - coeff.length)}${coeff}`;
  }
  const mantissa = coeff.length > 1 ? `${coeff[0]}.${coeff.slice(1)}` : coeff;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/** A DECIMAL(_, scale) value as Spark prints it: `1.00`, `0E-10`. */
export function decimalToString(value: number, scale: number): string {
  const d = bigDecimalOfNumber(value);
  return d === null ? String(value) : bigDecimalToString(setScale(d, scale));
}

/**
 * Java's `Double.toString` as the JDK 17 that Spark 4.0 runs on prints it: plain notation with at least one
 * fractional digit for 1e-3 <= |d| < 1e7 (`1.0`, `0.001`, `1234567.0`), computerized scientific notation
 * otherwise (`1.0E7`, `1.0E-4`, `1.0E21`). Integral values below 2^63 take the JDK's exact-digits path; other
 * values print their shortest round-trip digits, which is what the JDK prints except in rare cases (JDK 17
 * prints 1e23 as `9.999999999999999E22`).
 */
export function javaDoubleToString(d: number): string {
  return javaFloatingToString(d, 53);
}

/**
 * Java's `Float.toString` (JDK 17) for a value already rounded to float (`Math.fround`): `1.1`, `1.6777216E7`,
 * `2.14748365E9` (the JDK's exact-digits path for integral values keeps digits past the shortest form).
 */
export function javaFloatToString(f: number): string {
  return javaFloatingToString(f, 24);
}

/** `FloatingDecimal.insignificantDigitsNumber` of the JDK. */
const INSIGNIFICANT_DIGITS = [
  0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 11,
  11, 11, 12, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 17, 17, 17, 18, 18, 18, 19,
];

function javaFloatingToString(d: number, significantBits: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  if (abs === 5e-324) return `${sign}4.9E-324`; // Double.MIN_VALUE, as the JDK prints it
  let digits: string;
  let decExponent: number; // digits before the decimal point
  if (Number.isInteger(abs) && abs < 2 ** 63) {
    // FloatingDecimal's exact path for integral values: all digits, minus the insignificant low ones.
    let l = BigInt(abs);
    const binExp = l.toString(2).length - 1;
    const p2 = binExp - significantBits - 1;
    const insignificant = binExp > significantBits && p2 > 1 && p2 < INSIGNIFICANT_DIGITS.length ? INSIGNIFICANT_DIGITS[p2] : 0;
    if (insignificant > 0) {
      const pow10 = 10n ** BigInt(insignificant);
      const residue = l % pow10;
      l /= pow10;
      if (residue >= pow10 / 2n) l += 1n;
    }
    const all = l.toString();
    decExponent = all.length + insignificant;
    digits = all.replace(/0+$/, '') || '0';
  } else {
    const shortest = significantBits === 24 ? shortestFloat(abs) : abs;
    const [mantissa, exponent] = shortest.toExponential().split('e');
    digits = mantissa.replace('.', '');
    decExponent = Number(exponent) + 1;
  }
  if (abs >= 1e-3 && abs < 1e7) {
    if (decExponent > 0) {
      const int = digits.slice(0, decExponent).padEnd(decExponent, '0');
      return `${sign}${int}.${digits.slice(decExponent) || '0'}`;
    }
    return `${sign}0.${'0'.repeat(-decExponent)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${decExponent - 1}`;
}

/** The double with the fewest significant digits that rounds to the float `f`. */
function shortestFloat(f: number): number {
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/** An integral number as Spark prints it, exact digits even past 1e21 (`String(1e21)` would say `1e+21`). */
export function integralToString(x: number): string {
  if (Number.isSafeInteger(x)) return String(x === 0 ? 0 : x);
  if (Number.isInteger(x)) return BigInt(x).toString();
  return String(Math.trunc(x));
}
