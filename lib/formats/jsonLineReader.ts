/**
 * The fast path of JSON-lines input: one flat record (`{"a":1,"b":"x"}`) read straight from the file's text into
 * a row of the schema, with no intermediate object, no per-line string and no generic conversion (`JSON.parse`
 * plus {@link compileJsonRow} cost about twice as much on typical event records).
 *
 * Invariant: the reader either returns exactly the row `JSON.parse` + `compileJsonRow` give for the line, or
 * undefined, and the caller then takes that general path for the line. It only accepts what it can read without
 * doubt: keys in the schema's order, each once (missing keys are null, as Spark writes null fields by omitting
 * them), no other keys, values of the field's own type (strings without escapes, integers of at most 15 digits,
 * JSON numbers for DOUBLE/FLOAT, true/false, ISO-8601 instants for TIMESTAMP, null), spaces as the only
 * whitespace. Everything else (escapes, control characters, nesting, a value of another type, a malformed line)
 * goes to the general path, which decides what the record is. Strings of 13 characters or more need `copy` (a
 * copy that does not keep the file's text alive); without it such a line takes the general path.
 */
import type { Row } from '../contracts';
import { BooleanType, DoubleType, FloatType, IntegralType, StringType, StructType, TimestampNTZType, TimestampType } from '../sql/types';
import { INT_RANGES, isoInstantAt, sameAt, type ConversionOptions, type IsoMinuteCache } from './convertValue';

/** Reads the line `text[start, end)`; undefined = take the general path. */
export type JsonLineReader = (text: string, start: number, end: number) => Row | undefined;

/**
 * A copy of `text[from, to)` that does not keep `text` alive. `String.prototype.slice` of 13 characters or more
 * (V8's SlicedString) points into the file's whole text: a row kept in state would keep the file in memory.
 */
export type CopyText = (from: number, to: number) => string;

/** V8 copies slices shorter than this (SlicedString::kMinLength); longer ones point into their parent. */
const SLICE_MIN = 13;
/** Slots of the per-field cache of short string values. */
const STRING_CACHE_SIZE = 1024;

const STRING = 0;
const INTEGRAL = 1;
const DOUBLE = 2;
const FLOAT = 3;
const BOOLEAN = 4;
const TIMESTAMP = 5;

/** Whether `text` holds the key `codes` (the name's UTF-16 units) and its closing quote at `p`. */
function keyAt(text: string, p: number, codes: number[]): boolean {
  const n = codes.length;
  for (let k = 0; k < n; k++) if (text.charCodeAt(p + k) !== codes[k]) return false;
  return text.charCodeAt(p + n) === 34;
}

/** The position after the spaces at `p`. */
function skipSpaces(text: string, p: number): number {
  while (text.charCodeAt(p) === 32) p++;
  return p;
}

/**
 * A reader for flat records of `schema` (one per file: it caches short strings and the last minute of timestamps),
 * or undefined when the schema has a field the reader does not handle
 * (nested, binary, date, decimal types; a timestampFormat option; a name JSON would escape or a repeated name).
 */
export function compileJsonLineReader(schema: StructType, options: ConversionOptions, copy?: CopyText): JsonLineReader | undefined {
  const n = schema.fields.length;
  if (n === 0) return undefined;
  const names: string[] = [];
  const keyCodes: number[][] = [];
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
    // Names JSON escapes, repeated names (JSON.parse keeps the last value) and __proto__ take the general path.
    if (JSON.stringify(f.name) !== `"${f.name}"` || names.includes(f.name) || f.name === '__proto__') return undefined;
    names.push(f.name);
    keyCodes.push(Array.from({ length: f.name.length }, (_, k) => f.name.charCodeAt(k)));
    kinds.push(kind);
    lows.push(range[0]);
    highs.push(range[1]);
  }
  const cache: IsoMinuteCache = { prefix: '', ms: 0 };
  const template: Row = {};
  for (const name of names) template[name] = null;
  const stringCaches = kinds.map((k) => (k === STRING ? new Array<string | undefined>(STRING_CACHE_SIZE).fill(undefined) : []));

  return (text, start, end) => {
    if (text.charCodeAt(start) !== 123 /* { */) return undefined;
    // A copy of the all-null row: every row has the schema's shape from the start (stores replace, never add).
    const row: Row = { ...template };
    let i = 0;
    let p = skipSpaces(text, start + 1);
    if (text.charCodeAt(p) === 125 /* } */) {
      p += 1;
    } else {
      for (;;) {
        if (text.charCodeAt(p) !== 34 /* " */) return undefined;
        let j = i;
        while (j < n && !keyAt(text, p + 1, keyCodes[j] as number[])) j++;
        if (j === n) return undefined;
        p += (keyCodes[j] as number[]).length + 2;
        if (text.charCodeAt(p) === 32) p = skipSpaces(text, p);
        if (text.charCodeAt(p) !== 58 /* : */) return undefined;
        p += 1;
        if (text.charCodeAt(p) === 32) p = skipSpaces(text, p);
        const c = text.charCodeAt(p);
        let value: unknown;
        if (c === 110 /* n */) {
          if (!text.startsWith('null', p)) return undefined;
          value = null;
          p += 4;
        } else {
          const kind = kinds[j] as number;
          if (kind === STRING) {
            if (c !== 34) return undefined;
            // The string's end, refusing escapes and control characters (JSON.parse decides those), and its hash.
            let q = p + 1;
            let h = 0;
            for (let x = text.charCodeAt(q); x !== 34; x = text.charCodeAt(q)) {
              if (x < 32 || x === 92 || q >= end) return undefined;
              h = (h * 31 + x) | 0;
              q++;
            }
            const length = q - p - 1;
            if (length < SLICE_MIN) {
              // Short values repeat (levels, hosts, users): one string per distinct value, as JSON.parse does.
              const strings = stringCaches[j] as Array<string | undefined>;
              const slot = h & (STRING_CACHE_SIZE - 1);
              const cached = strings[slot];
              if (cached !== undefined && cached.length === length && sameAt(text, p + 1, cached)) {
                value = cached;
              } else {
                value = strings[slot] = text.slice(p + 1, q);
              }
            } else {
              if (copy === undefined) return undefined;
              value = copy(p + 1, q);
            }
            p = q + 1;
          } else if (kind === TIMESTAMP) {
            if (c !== 34) return undefined;
            const q = text.indexOf('"', p + 1);
            if (q < 0 || q >= end) return undefined;
            // Every character of an accepted instant is checked: no escape or control character gets through.
            const ms = isoInstantAt(text, p + 1, q, cache);
            if (ms === undefined) return undefined;
            value = new Date(ms);
            p = q + 1;
          } else if (kind === BOOLEAN) {
            if (c === 116 /* t */ && text.startsWith('true', p)) {
              value = true;
              p += 4;
            } else if (c === 102 /* f */ && text.startsWith('false', p)) {
              value = false;
              p += 5;
            } else {
              return undefined;
            }
          } else {
            // A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
            let q = p;
            if (c === 45 /* - */) q++;
            let d = text.charCodeAt(q) - 48;
            if (d < 0 || d > 9) return undefined;
            let v = d;
            q++;
            const digitsFrom = q - 1;
            if (v !== 0) {
              for (d = text.charCodeAt(q) - 48; d >= 0 && d <= 9; d = text.charCodeAt(q) - 48) {
                v = v * 10 + d;
                q++;
              }
            } else {
              d = text.charCodeAt(q) - 48;
              if (d >= 0 && d <= 9) return undefined; // a leading zero: not JSON
            }
            // Beyond 15 digits the value may not be exact: JSON.parse decides.
            if (q - digitsFrom > 15) return undefined;
            const e = text.charCodeAt(q);
            if (e === 46 /* . */ || e === 101 /* e */ || e === 69 /* E */) {
              if (kind === INTEGRAL) return undefined;
              if (e === 46) {
                q++;
                const f0 = q;
                for (d = text.charCodeAt(q) - 48; d >= 0 && d <= 9; d = text.charCodeAt(q) - 48) q++;
                if (q === f0) return undefined;
              }
              const x = text.charCodeAt(q);
              if (x === 101 || x === 69) {
                q++;
                const sign = text.charCodeAt(q);
                if (sign === 43 || sign === 45) q++;
                const e0 = q;
                for (d = text.charCodeAt(q) - 48; d >= 0 && d <= 9; d = text.charCodeAt(q) - 48) q++;
                if (q === e0) return undefined;
              }
              v = Number(text.slice(p, q));
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
        if (text.charCodeAt(p) === 32) p = skipSpaces(text, p);
        const sep = text.charCodeAt(p);
        if (sep === 44 /* , */) {
          if (i === n) return undefined;
          p += 1;
          if (text.charCodeAt(p) === 32) p = skipSpaces(text, p);
          continue;
        }
        if (sep !== 125 /* } */) return undefined;
        p += 1;
        break;
      }
    }
    if (skipSpaces(text, p) !== end) return undefined;
    return row;
  };
}
