/**
 * The fast path of JSON-lines input: one flat record (`{"a":1,"b":"x"}`) read straight from the file's bytes into
 * a row of the schema, with no intermediate object, no per-line string and no generic conversion (`JSON.parse`
 * plus {@link compileJsonRow} cost about twice as much on typical event records). It scans bytes, not the decoded
 * text: a byte of a Buffer is cheaper to read than a character of a string.
 *
 * Invariant: the reader either returns exactly the row `JSON.parse` + `compileJsonRow` give for the line (the
 * line's bytes decoded as UTF-8), or undefined, and the caller then takes that general path for the line. It only
 * accepts what it can read without doubt: keys in the schema's order, each once (missing keys are null, as Spark
 * writes null fields by omitting them), no other keys, values of the field's own type (strings without escapes,
 * integers of at most 15 digits, JSON numbers for DOUBLE/FLOAT, true/false, ISO-8601 instants for TIMESTAMP,
 * null), spaces as the only whitespace. Everything else (escapes, control characters, nesting, a value of another
 * type, a malformed line) goes to the general path, which decides what the record is. The bytes must be valid
 * UTF-8 (the caller checks the file once): a string with non-ASCII characters is decoded from its own bytes.
 * Strings are never slices of the file's text of 13 characters or more (V8's SlicedString would keep the whole
 * file alive in a row kept in state).
 */
import type { Row } from '../contracts';
import { BooleanType, DoubleType, FloatType, IntegralType, StringType, StructType, TimestampNTZType, TimestampType } from '../values/types';
import { INT_RANGES, utcMinuteMs, type ConversionOptions } from './convertValue';

/** A reader of JSON lines into rows of one schema. */
export interface JsonLineReader {
  /**
   * Reads the line at `start` of `bytes` (valid UTF-8; the line ends at the next LF or at the end of the bytes).
   * `text` is the bytes' text when they are all ASCII (a character per byte: short strings are sliced from it,
   * cheaper than decoding bytes), else undefined. Undefined = take the general path.
   */
  read(bytes: Buffer, text: string | undefined, start: number): Row | undefined;
  /** After a line is read: where it ends (its LF, or the length of the bytes), found by reading it. */
  end: number;
}

/** V8 copies slices shorter than this (SlicedString::kMinLength); longer ones point into their parent. */
const SLICE_MIN = 13;
/** Slots of the per-field cache of short string values (a power of two). */
const STRING_CACHE_SIZE = 4096;
/** The guess cache of short strings: 2^(32 - QUICK_SHIFT) slots, by the top bits of (first 4 bytes × GOLDEN). */
const QUICK_SHIFT = 20;
const GOLDEN = 0x9e3779b1 | 0;
/** FNV-1a, 32 bits: the hash of a string's bytes, for its cache slot. */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

const STRING = 0;
const INTEGRAL = 1;
const DOUBLE = 2;
const FLOAT = 3;
const BOOLEAN = 4;
const TIMESTAMP = 5;

/** Powers of ten exact as doubles (10^22 is the last). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Whether `bytes` holds the key `codes` (the name's UTF-8 bytes) and its closing quote at `p`. */
function keyAt(bytes: Buffer, p: number, codes: Uint8Array): boolean {
  const n = codes.length;
  for (let k = 0; k < n; k++) if (bytes[p + k] !== codes[k]) return false;
  return bytes[p + n] === 34;
}

/** The position after the spaces at `p`. */
function skipSpaces(bytes: Buffer, p: number): number {
  while (bytes[p] === 32) p++;
  return p;
}

/** Whether the ASCII string `s` is spelled by `bytes` at `from` (from the end: values differ last first). */
function sameBytes(bytes: Buffer, from: number, s: string): boolean {
  for (let k = s.length - 1; k >= 0; k--) if (bytes[from + k] !== s.charCodeAt(k)) return false;
  return true;
}

/** The value of `count` ASCII digits of `bytes` from `at`, or -1 when one is not a digit. */
function digits(bytes: Buffer, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const d = (bytes[i] as number) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}


/**
 * The last minute prefix (`yyyy-MM-ddTHH:mm`, 16 bytes) read and its UTC ms: rows mostly share their minute. The
 * prefix is kept as four 32-bit words, compared with four reads of a DataView of the bytes (not 16 byte reads).
 */
export interface MinuteCache {
  valid: boolean;
  w0: number;
  w1: number;
  w2: number;
  w3: number;
  ms: number;
  /** A view of the bytes last read (a new one for other bytes). */
  bytes: Buffer | undefined;
  view: DataView;
}

/** An empty minute cache (one per reader). */
export function minuteCache(): MinuteCache {
  return { valid: false, w0: 0, w1: 0, w2: 0, w3: 0, ms: 0, bytes: undefined, view: new DataView(new ArrayBuffer(0)) };
}

function viewOf(bytes: Buffer, cache: MinuteCache): DataView {
  if (cache.bytes !== bytes) {
    cache.bytes = bytes;
    cache.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return cache.view;
}

/** Whether `bytes` at `from` (16 bytes in range) start with the cached minute. */
function sameMinute(bytes: Buffer, from: number, cache: MinuteCache): boolean {
  if (!cache.valid) return false;
  const view = viewOf(bytes, cache);
  // From the end: the minute changes first.
  return view.getInt32(from + 12, true) === cache.w3 && view.getInt32(from + 8, true) === cache.w2 && view.getInt32(from + 4, true) === cache.w1 && view.getInt32(from, true) === cache.w0;
}

/**
 * The ISO-8601 instant `yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm)` spelled by `bytes[from, to)`, as epoch ms (what
 * `isoInstantAt` of convertValue.ts gives for the same text, and so the general path), or undefined for any other
 * shape. Every byte of an accepted instant is checked: no escape or control character gets through.
 */
export function isoInstantBytes(bytes: Buffer, from: number, to: number, cache: MinuteCache = minuteCache()): number | undefined {
  const n = to - from;
  if (n < 20 || n > 35 || bytes[from + 4] !== 45 || bytes[from + 7] !== 45 || bytes[from + 10] !== 84 || bytes[from + 13] !== 58 || bytes[from + 16] !== 58) {
    return undefined;
  }
  let minuteMs: number;
  if (sameMinute(bytes, from, cache)) {
    minuteMs = cache.ms;
  } else {
    const ms = utcMinuteMs(digits(bytes, from, 4), digits(bytes, from + 5, 2), digits(bytes, from + 8, 2), digits(bytes, from + 11, 2), digits(bytes, from + 14, 2));
    if (ms === undefined) return undefined;
    minuteMs = ms;
    const view = viewOf(bytes, cache);
    cache.w0 = view.getInt32(from, true);
    cache.w1 = view.getInt32(from + 4, true);
    cache.w2 = view.getInt32(from + 8, true);
    cache.w3 = view.getInt32(from + 12, true);
    cache.valid = true;
    cache.ms = minuteMs;
  }
  const second = digits(bytes, from + 17, 2);
  if (second < 0 || second > 59) return undefined;
  let i = from + 19;
  let ms = 0;
  if (bytes[i] === 46 /* . */) {
    const d1 = i + 1 < to ? (bytes[i + 1] as number) - 48 : -1;
    const d2 = i + 2 < to ? (bytes[i + 2] as number) - 48 : -1;
    const d3 = i + 3 < to ? (bytes[i + 3] as number) - 48 : -1;
    const d4 = i + 4 < to ? (bytes[i + 4] as number) - 48 : -1;
    if (d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9 && !(d4 >= 0 && d4 <= 9)) {
      // Exactly milliseconds (the common shape): the same value as the general loop below, in integers.
      ms = d1 * 100 + d2 * 10 + d3;
      i += 4;
    } else {
      i += 1;
      let scale = 100;
      const start = i;
      while (i < to) {
        const d = (bytes[i] as number) - 48;
        if (!(d >= 0 && d <= 9)) break;
        ms += d * scale;
        scale /= 10;
        i += 1;
      }
      if (i === start || i - start > 9) return undefined;
      ms = Math.floor(ms + 1e-9);
    }
  }
  let offsetMin = 0;
  const z = bytes[i];
  if (z === 90 /* Z */ && i === to - 1) {
    // UTC
  } else if ((z === 43 || z === 45) && i === to - 6 && bytes[i + 3] === 58) {
    const oh = digits(bytes, i + 1, 2);
    const om = digits(bytes, i + 4, 2);
    if (oh < 0 || om < 0 || oh > 18 || om > 59) return undefined;
    offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else {
    return undefined;
  }
  return minuteMs + (second - offsetMin * 60) * 1000 + ms;
}

/**
 * A reader for flat records of `schema` (one per file: it caches short strings and the last minute of timestamps),
 * or undefined when the schema has a field the reader does not handle
 * (nested, binary, date, decimal types; a timestampFormat option; a name JSON would escape or a repeated name).
 */
export function compileJsonLineReader(schema: StructType, options: ConversionOptions): JsonLineReader | undefined {
  const n = schema.fields.length;
  if (n === 0) return undefined;
  const names: string[] = [];
  const keyBytes: Uint8Array[] = [];
  const kinds: number[] = [];
  const lows: number[] = [];
  const highs: number[] = [];
  for (const f of schema.fields) {
    const t = f.dataType;
    let kind: number;
    let range: readonly [number, number] = [0, 0];
    if (t instanceof StringType) kind = STRING;
    else if (t instanceof IntegralType && INT_RANGES[t.typeName] !== undefined) {
      kind = INTEGRAL;
      range = INT_RANGES[t.typeName] as readonly [number, number];
    } else if (t instanceof DoubleType) kind = DOUBLE;
    else if (t instanceof FloatType) kind = FLOAT;
    else if (t instanceof BooleanType) kind = BOOLEAN;
    else if ((t instanceof TimestampType || t instanceof TimestampNTZType) && !options.timestampFormat) kind = TIMESTAMP;
    else return undefined;
    // Names JSON escapes, names that are not well-formed UTF-16 (no UTF-8 spelling), repeated names (JSON.parse
    // keeps the last value) and __proto__ take the general path.
    if (JSON.stringify(f.name) !== `"${f.name}"` || Buffer.from(f.name, 'utf8').toString('utf8') !== f.name || names.includes(f.name) || f.name === '__proto__') return undefined;
    names.push(f.name);
    keyBytes.push(new Uint8Array(Buffer.from(f.name, 'utf8')));
    kinds.push(kind);
    lows.push(range[0]);
    highs.push(range[1]);
  }
  const minute = minuteCache();
  const template: Row = {};
  for (const name of names) template[name] = null;
  const stringCaches = kinds.map((k) => (k === STRING ? new Array<string | undefined>(STRING_CACHE_SIZE).fill(undefined) : []));
  const quickCaches = kinds.map((k) => (k === STRING ? new Array<string | undefined>(1 << (32 - QUICK_SHIFT)).fill(undefined) : []));

  // The line's end is found by reading it: a byte out of place (an LF included) ends the fast path, and past the
  // bytes' end `bytes[p]` is undefined, which no comparison accepts.
  const read = (bytes: Buffer, text: string | undefined, start: number): Row | undefined => {
    if (bytes[start] !== 123 /* { */) return undefined;
    // A copy of the all-null row: every row has the schema's shape from the start (stores replace, never add).
    const row: Row = { ...template };
    let i = 0;
    let p = skipSpaces(bytes, start + 1);
    if (bytes[p] === 125 /* } */) {
      p += 1;
    } else {
      for (;;) {
        if (bytes[p] !== 34 /* " */) return undefined;
        let j = i;
        while (j < n && !keyAt(bytes, p + 1, keyBytes[j] as Uint8Array)) j++;
        if (j === n) return undefined;
        p += (keyBytes[j] as Uint8Array).length + 2;
        if (bytes[p] === 32) p = skipSpaces(bytes, p);
        if (bytes[p] !== 58 /* : */) return undefined;
        p += 1;
        if (bytes[p] === 32) p = skipSpaces(bytes, p);
        const c = bytes[p];
        let value: unknown;
        if (c === 110 /* n */) {
          if (bytes[p + 1] !== 117 || bytes[p + 2] !== 108 || bytes[p + 3] !== 108) return undefined;
          value = null;
          p += 4;
        } else {
          const kind = kinds[j] as number;
          if (kind === STRING) {
            if (c !== 34) return undefined;
            // First a guess by the value's first four bytes (whatever follows a shorter one): a cached value that
            // the bytes spell, closing quote included, is the string (cached values have no escape, quote or
            // control character), read without the scan below.
            const guesses = quickCaches[j] as Array<string | undefined>;
            let guessSlot = -1;
            let guess: string | undefined;
            if (p + 5 <= bytes.length) {
              guessSlot = Math.imul(viewOf(bytes, minute).getInt32(p + 1, true), GOLDEN) >>> QUICK_SHIFT;
              guess = guesses[guessSlot];
              if (guess !== undefined && !(bytes[p + 1 + guess.length] === 34 && sameBytes(bytes, p + 1, guess))) guess = undefined;
            }
            if (guess !== undefined) {
              value = guess;
              p += guess.length + 2;
            } else {
              // The string's end, refusing escapes and control characters (JSON.parse decides those), and its hash.
              let q = p + 1;
              let h = FNV_OFFSET;
              let ascii = true;
              let x = bytes[q] as number;
              // Hashed while it may still be short (only a short value is looked up by its hash)...
              for (; x !== 34 && q - p <= SLICE_MIN; x = bytes[q] as number) {
                if (!(x >= 32) || x === 92) return undefined;
                if (x >= 128) ascii = false;
                h = Math.imul(h ^ x, FNV_PRIME);
                q++;
              }
              // ...the rest of a long one only checked.
              for (; x !== 34; x = bytes[q] as number) {
                if (!(x >= 32) || x === 92) return undefined;
                if (x >= 128) ascii = false;
                q++;
              }
              const length = q - p - 1;
              if (!ascii) {
                // Valid UTF-8 (the caller's check): the characters JSON.parse gives, in a string of their own.
                value = bytes.toString('utf8', p + 1, q);
              } else if (length < SLICE_MIN) {
                // Short values repeat (levels, hosts, users): one string per distinct value, as JSON.parse does.
                const strings = stringCaches[j] as Array<string | undefined>;
                const slot = (h ^ (h >>> 13) ^ (h >>> 23)) & (STRING_CACHE_SIZE - 1);
                const cached = strings[slot];
                if (cached !== undefined && cached.length === length && sameBytes(bytes, p + 1, cached)) {
                  value = cached;
                } else {
                  value = strings[slot] = text !== undefined ? text.slice(p + 1, q) : bytes.toString('latin1', p + 1, q);
                }
                if (guessSlot >= 0) guesses[guessSlot] = value as string;
              } else {
                // A copy of its own, not a slice of the file's text.
                value = bytes.toString('latin1', p + 1, q);
              }
              p = q + 1;
            }
          } else if (kind === TIMESTAMP) {
            if (c !== 34) return undefined;
            const from = p + 1;
            // The common shape, `<the cached minute>:ss.sssZ"`, here (what isoInstantBytes gives for it); every
            // byte is checked (the cached minute's were), so no quote, escape or line end is skipped.
            const s1 = (bytes[from + 17] as number) - 48;
            const s2 = (bytes[from + 18] as number) - 48;
            const m1 = (bytes[from + 20] as number) - 48;
            const m2 = (bytes[from + 21] as number) - 48;
            const m3 = (bytes[from + 22] as number) - 48;
            if (
              bytes[from + 24] === 34 &&
              bytes[from + 23] === 90 /* Z */ &&
              bytes[from + 19] === 46 /* . */ &&
              bytes[from + 16] === 58 /* : */ &&
              s1 >= 0 &&
              s1 <= 5 &&
              s2 >= 0 &&
              s2 <= 9 &&
              m1 >= 0 &&
              m1 <= 9 &&
              m2 >= 0 &&
              m2 <= 9 &&
              m3 >= 0 &&
              m3 <= 9 &&
              sameMinute(bytes, from, minute)
            ) {
              value = new Date(minute.ms + (s1 * 10 + s2) * 1000 + m1 * 100 + m2 * 10 + m3);
              p = from + 25;
            } else {
              let q = from;
              for (let x = bytes[q]; x !== 34; x = bytes[q]) {
                if (x === 10 || x === undefined) return undefined;
                q++;
              }
              const ms = isoInstantBytes(bytes, from, q, minute);
              if (ms === undefined) return undefined;
              value = new Date(ms);
              p = q + 1;
            }
          } else if (kind === BOOLEAN) {
            if (c === 116 /* t */ && bytes[p + 1] === 114 && bytes[p + 2] === 117 && bytes[p + 3] === 101) {
              value = true;
              p += 4;
            } else if (c === 102 /* f */ && bytes[p + 1] === 97 && bytes[p + 2] === 108 && bytes[p + 3] === 115 && bytes[p + 4] === 101) {
              value = false;
              p += 5;
            } else {
              return undefined;
            }
          } else {
            // A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
            let q = p;
            if (c === 45 /* - */) q++;
            let d = (bytes[q] as number) - 48;
            if (!(d >= 0 && d <= 9)) return undefined;
            let v = d;
            q++;
            const digitsFrom = q - 1;
            if (v !== 0) {
              for (d = (bytes[q] as number) - 48; d >= 0 && d <= 9; d = (bytes[q] as number) - 48) {
                v = v * 10 + d;
                q++;
              }
            } else {
              d = (bytes[q] as number) - 48;
              if (d >= 0 && d <= 9) return undefined; // a leading zero: not JSON
            }
            // Beyond 15 digits the value may not be exact: JSON.parse decides.
            if (q - digitsFrom > 15) return undefined;
            const e = bytes[q];
            if (e === 46 /* . */ || e === 101 /* e */ || e === 69 /* E */) {
              if (kind === INTEGRAL) return undefined;
              // The digits as an integer and a power of ten: exact when both are (15 digits, |power| <= 22), and
              // then one division or product is the correctly rounded value JSON.parse gives (Clinger's fast path).
              let mantissaDigits = q - digitsFrom;
              let power = 0;
              if (e === 46) {
                q++;
                const f0 = q;
                for (d = (bytes[q] as number) - 48; d >= 0 && d <= 9; d = (bytes[q] as number) - 48) {
                  v = v * 10 + d;
                  q++;
                }
                if (q === f0) return undefined;
                mantissaDigits += q - f0;
                power = f0 - q;
              }
              const x = bytes[q];
              if (x === 101 || x === 69) {
                q++;
                const sign = bytes[q];
                if (sign === 43 || sign === 45) q++;
                const e0 = q;
                let exponent = 0;
                for (d = (bytes[q] as number) - 48; d >= 0 && d <= 9; d = (bytes[q] as number) - 48) {
                  exponent = exponent * 10 + d;
                  q++;
                }
                if (q === e0) return undefined;
                if (q - e0 > 4) exponent = 99_999;
                power += sign === 45 ? -exponent : exponent;
              }
              if (mantissaDigits <= 15 && power >= -22 && power <= 22) {
                v = power < 0 ? v / (POW10[-power] as number) : v * (POW10[power] as number);
                if (c === 45) v = -v;
              } else {
                v = Number(text !== undefined ? text.slice(p, q) : bytes.toString('latin1', p, q));
              }
            } else if (c === 45) {
              v = -v;
            }
            if (kind === INTEGRAL) {
              if (v < (lows[j] as number) || v > (highs[j] as number)) return undefined;
            } else if (kind === FLOAT) {
              v = Math.fround(v);
            }
            value = v;
            p = q;
          }
        }
        row[names[j] as string] = value;
        i = j + 1;
        if (bytes[p] === 32) p = skipSpaces(bytes, p);
        const sep = bytes[p];
        if (sep === 44 /* , */) {
          if (i === n) return undefined;
          p += 1;
          if (bytes[p] === 32) p = skipSpaces(bytes, p);
          continue;
        }
        if (sep !== 125 /* } */) return undefined;
        p += 1;
        break;
      }
    }
    p = skipSpaces(bytes, p);
    if (p < bytes.length && bytes[p] !== 10 /* \n */) return undefined;
    reader.end = p;
    return row;
  };
  const reader: JsonLineReader = { read, end: 0 };
  return reader;
}
