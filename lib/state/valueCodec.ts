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
