/**
 * Grouping keys: a cheap in-batch identity string and an order-preserving state key.
 *
 * Invariants: two key tuples have the same identity string iff they are equal values (Dates and window
 * structs by time); the state key of a time-keyed group starts with its event time as a sign-flipped big-endian
 * int64, so every key with event time <= W sorts before `timePrefix(W + 1)`; the rest of the key is msgpack of
 * the key values without records, so the same values always give the same bytes.
 */
import { Packr } from 'msgpackr';

const packr = new Packr({ useRecords: false, moreTypes: false });

/** Identity string of one key value. */
function valueId(v: unknown): string {
  if (v === null || v === undefined) return 'N';
  switch (typeof v) {
    case 'string':
      return `s${v.length}:${v}`;
    case 'number':
      return `n${v}`;
    case 'boolean':
      return v ? 'T' : 'F';
    case 'bigint':
      return `b${v}`;
    default:
      if (v instanceof Date) return `d${v.getTime()}`;
      if (typeof v === 'object' && v !== null && 'start' in v && 'end' in v && Object.keys(v).length === 2) {
        const w = v as { start: unknown; end: unknown };
        return `w${valueId(w.start)}|${valueId(w.end)}`;
      }
      return `j${JSON.stringify(v)}`;
  }
}

/** Identity string of a key tuple (for the in-batch hash map). */
export function keyId(values: readonly unknown[]): string {
  if (values.length === 1) return valueId(values[0]);
  let out = '';
  for (let i = 0; i < values.length; i += 1) out += `${valueId(values[i])}\u0001`;
  return out;
}

const TIME_BYTES = 8;

const TWO_POW_32 = 4294967296;

/** Writes the 8 bytes of {@link timePrefix} into `out` at `offset`. */
function writeTimePrefix(out: Uint8Array, offset: number, ms: number): void {
  const v = Math.trunc(ms);
  if (v > -Number.MAX_SAFE_INTEGER && v < Number.MAX_SAFE_INTEGER) {
    // Two's complement of v in two 32-bit words, top bit flipped: the same bytes as the BigInt form, without one.
    const hi = (Math.floor(v / TWO_POW_32) ^ 0x80000000) >>> 0;
    const lo = (v - Math.floor(v / TWO_POW_32) * TWO_POW_32) >>> 0;
    out[offset] = hi >>> 24;
    out[offset + 1] = (hi >>> 16) & 0xff;
    out[offset + 2] = (hi >>> 8) & 0xff;
    out[offset + 3] = hi & 0xff;
    out[offset + 4] = lo >>> 24;
    out[offset + 5] = (lo >>> 16) & 0xff;
    out[offset + 6] = (lo >>> 8) & 0xff;
    out[offset + 7] = lo & 0xff;
    return;
  }
  // NaN and ±Infinity throw a RangeError here, as before.
  new DataView(out.buffer, out.byteOffset + offset, TIME_BYTES).setBigInt64(0, BigInt(v) ^ -(2n ** 63n), false);
}

/** 8 bytes that sort like the signed integer `ms` (|ms| < 2^53). */
export function timePrefix(ms: number): Uint8Array {
  const out = new Uint8Array(TIME_BYTES);
  writeTimePrefix(out, 0, ms);
  return out;
}

/** Reads a time prefix back. */
export function readTimePrefix(key: Uint8Array): number {
  const view = new DataView(key.buffer, key.byteOffset, TIME_BYTES);
  return Number(view.getBigInt64(0, false) ^ -(2n ** 63n));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The state key of a group: [time prefix] + msgpack(values). */
export function stateKey(values: readonly unknown[], timeMs?: number): Uint8Array {
  const body = packr.pack(values) as Uint8Array;
  if (timeMs === undefined) return new Uint8Array(body);
  const out = new Uint8Array(TIME_BYTES + body.length);
  writeTimePrefix(out, 0, timeMs);
  out.set(body, TIME_BYTES);
  return out;
}

/** The state key of a session: msgpack(group values) length-prefixed, then the session start. */
export function sessionKeyPrefix(groupValues: readonly unknown[]): Uint8Array {
  const body = packr.pack(groupValues) as Uint8Array;
  const prefix = new Uint8Array(4 + body.length);
  new DataView(prefix.buffer).setUint32(0, body.length, false);
  prefix.set(body, 4);
  return prefix;
}

/** `prefix + start` for a session. */
export function sessionKey(prefix: Uint8Array, startMs: number): Uint8Array {
  return concat(prefix, timePrefix(startMs));
}
