/**
 * How state values become bytes: msgpackr with records off and structured clone off.
 *
 * Invariant: every store keeps values as the bytes this codec made and hands out a freshly decoded copy on each
 * read, so a value never aliases state: mutating what `get` returned, or a value after `put`, changes nothing
 * stored (also not after `abort`, which matters for "get, mutate, put" operator code). Both stores use it, so a
 * value survives the memory store exactly when it survives LevelDB.
 *
 * Round-trips: null, booleans, numbers (NaN, ±Infinity, integers beyond 2^32), strings, arrays, plain objects,
 * `Date` (msgpack timestamp extension -1, millisecond precision), `Uint8Array`/`Buffer` (read back as a fresh
 * `Uint8Array`, `copyBuffers`), bigint within 64 bits. Not preserved: `-0` (reads as 0), `Map` (reads as a plain
 * object), class prototypes, `undefined` object properties are kept but `undefined` as a whole value is refused.
 */
import { Packr } from 'msgpackr';
import { ErrorCodes, WeirError } from '../errors';

const packr = new Packr({ useRecords: false, structuredClone: false, copyBuffers: true });

/**
 * Encodes a state value into a compact byte array of its own (not a view into msgpackr's shared buffer, which
 * would keep the whole buffer alive for as long as the value is cached).
 *
 * @throws WeirError `INVALID_ARGUMENT` for `undefined` (it reads back as "no value") or a value msgpackr refuses.
 */
export function encodeValue(value: unknown, context: { operatorId: string; batchId: number }): Uint8Array {
  if (value === undefined) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `State value for operator ${context.operatorId} is undefined`, {
      context,
    });
  }
  let packed: Uint8Array;
  try {
    if (anyImmutable && isPlainObject(value)) {
      const spliced = encodeSpliced(value as Record<string, unknown>);
      if (spliced !== undefined) return spliced;
    }
    packed = packr.pack(value);
  } catch (cause) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `State value for operator ${context.operatorId} cannot be encoded`, {
      context,
      cause,
    });
  }
  return new Uint8Array(packed);
}

/** Decodes bytes made by {@link encodeValue}; binary values come back as fresh `Uint8Array`s. */
export function decodeValue(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}

/** A plain `Uint8Array` view of `bytes` (a Node `Buffer` from LevelDB, say), so decoded binary values are plain too. */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Objects declared immutable ({@link rememberEncoding}) and, once computed, their bytes (`null` until then). An
 * object is encoded once and its bytes reused wherever it is a property of a top-level plain object value.
 */
const immutableEncodings = new WeakMap<object, Uint8Array | null>();
let anyImmutable = false;

/** Encoded property names (short ones; bounded). */
const keyEncodings = new Map<string, Uint8Array>();
const KEY_ENCODINGS_MAX = 4096;

/**
 * Declares `value` immutable from now on: when it is a property of a plain object given to {@link encodeValue},
 * its bytes are computed once and reused. The bytes are exactly msgpackr's (the value is the same). Only for
 * values nobody mutates (an aggregation's group keys, made of row values, which are immutable in weir); a user
 * state object must never be declared so. Mutating a declared value later (against weir's rows-are-values
 * contract) would store its old bytes.
 */
export function rememberEncoding(value: object): void {
  if (!immutableEncodings.has(value)) immutableEncodings.set(value, null);
  anyImmutable = true;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A fresh copy of msgpackr's bytes for `value` (its output buffer is reused by the next pack). */
function packCopy(value: unknown): Uint8Array {
  return new Uint8Array(packr.pack(value));
}

/**
 * msgpackr's encoding of a plain object (a map16 header, then each own enumerable key and value in for-in
 * order, as msgpackr writes it with records off), built from the remembered bytes of its immutable property
 * values; `undefined` when it has none, or a property msgpackr would write differently on its own.
 */
function encodeSpliced(value: Record<string, unknown>): Uint8Array | undefined {
  const keys = Object.keys(value);
  // An own `hasOwnProperty` changes which keys msgpackr's for-in writes.
  if (keys.length > 0xffff || Object.prototype.hasOwnProperty.call(value, 'hasOwnProperty')) return undefined;
  let remembered = false;
  for (let i = 0; i < keys.length; i += 1) {
    const v = value[keys[i]!];
    if (v === undefined) return undefined;
    if (typeof v === 'object' && v !== null && immutableEncodings.has(v)) remembered = true;
  }
  if (!remembered) return undefined;
  const parts = new Array<Uint8Array>(2 * keys.length);
  let length = 3;
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    let keyBytes = keyEncodings.get(key);
    if (keyBytes === undefined) {
      keyBytes = packCopy(key);
      if (key.length <= 64 && keyEncodings.size < KEY_ENCODINGS_MAX) keyEncodings.set(key, keyBytes);
    }
    const v = value[key];
    let valueBytes: Uint8Array | null | undefined =
      typeof v === 'object' && v !== null ? immutableEncodings.get(v) : undefined;
    if (valueBytes === null) {
      valueBytes = packCopy(v);
      immutableEncodings.set(v as object, valueBytes);
    } else if (valueBytes === undefined) valueBytes = encodeUint32Array(v) ?? packCopy(v);
    parts[2 * i] = keyBytes;
    parts[2 * i + 1] = valueBytes;
    length += keyBytes.length + valueBytes.length;
  }
  const out = new Uint8Array(length);
  out[0] = 0xde;
  out[1] = keys.length >> 8;
  out[2] = keys.length & 0xff;
  let at = 3;
  for (let i = 0; i < parts.length; i += 1) {
    out.set(parts[i]!, at);
    at += parts[i]!.length;
  }
  return out;
}

/**
 * msgpack's bytes for a short array of integers in [0, 2^32) (an aggregation's count buffers), written directly
 * (as msgpackr writes them: the smallest unsigned form per element) because msgpackr's per-call cost dwarfs
 * such a value; `undefined` for any other value.
 */
function encodeUint32Array(v: unknown): Uint8Array | undefined {
  if (!Array.isArray(v) || v.length >= 16 || Object.getPrototypeOf(v) !== Array.prototype) return undefined;
  let length = 1;
  for (let i = 0; i < v.length; i += 1) {
    const n: unknown = v[i];
    if (typeof n !== 'number' || n >>> 0 !== n || (n === 0 && 1 / n < 0)) return undefined;
    length += n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
  }
  const out = new Uint8Array(length);
  out[0] = 0x90 | v.length;
  let at = 1;
  for (let i = 0; i < v.length; i += 1) {
    const n = v[i] as number;
    if (n < 0x80) out[at++] = n;
    else if (n < 0x100) {
      out[at++] = 0xcc;
      out[at++] = n;
    } else if (n < 0x10000) {
      out[at++] = 0xcd;
      out[at++] = n >>> 8;
      out[at++] = n & 0xff;
    } else {
      out[at++] = 0xce;
      out[at++] = n >>> 24;
      out[at++] = (n >>> 16) & 0xff;
      out[at++] = (n >>> 8) & 0xff;
      out[at++] = n & 0xff;
    }
  }
  return out;
}
