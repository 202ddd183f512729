/**
 * The key layout and record formats of the one LevelDB shared by all operators of a query.
 *
 * Invariant: every key of operator `op` starts with `P = encodeKey([op])` (tag, escaped UTF-8, 0x00 terminator),
 * followed by one namespace byte: `P 0x01` its version marker, `P 0x02` its undo record, `P 0x03 <key>` its
 * data. `P` is prefix-free across operator ids (an id never continues past its terminator with a byte below
 * 0xFF, and namespace bytes are below 0xFF), so no operator's range scan sees another's keys, whatever the ids
 * contain. The format key `0x00 "weir-state-format"` sorts before every operator.
 *
 * Why a binary prefix rather than `db.sublevel(op)`: sublevel names must be ASCII without the separator, while
 * operator ids are arbitrary strings; one root-level `batch()` writes data, marker and undo atomically with no
 * per-key transcoding through a sublevel chain; and the layout is ours, documented here, stable across `level`
 * major versions.
 */
import { Packr } from 'msgpackr';
import { encodeKey, prefixUpperBound } from './keyEncoding';
import { stateCorrupt } from './stateErrors';

/** The key recording the layout version. */
export const FORMAT_KEY = Uint8Array.from([0x00, ...new TextEncoder().encode('weir-state-format')]);
/** The layout version this code writes and reads. */
export const FORMAT_VERSION = 1;

const NS_MARKER = 0x01;
const NS_UNDO = 0x02;
const NS_DATA = 0x03;

/** The LevelDB keys of one operator. */
export interface OperatorKeys {
  readonly marker: Uint8Array;
  readonly undo: Uint8Array;
  /** `P 0x03`: data key = dataPrefix + user key. */
  readonly dataPrefix: Uint8Array;
  /** The exclusive upper bound of all data keys of the operator. */
  readonly dataEnd: Uint8Array;
}

function withByte(prefix: Uint8Array, byte: number): Uint8Array {
  const out = new Uint8Array(prefix.length + 1);
  out.set(prefix);
  out[prefix.length] = byte;
  return out;
}

/** The keys of `operatorId`. */
export function operatorKeys(operatorId: string): OperatorKeys {
  const prefix = encodeKey([operatorId]);
  const dataPrefix = withByte(prefix, NS_DATA);
  return {
    marker: withByte(prefix, NS_MARKER),
    undo: withByte(prefix, NS_UNDO),
    dataPrefix,
    dataEnd: prefixUpperBound(dataPrefix)!, // dataPrefix ends with 0x03, so a bound exists
  };
}

/** `dataPrefix + key`. */
export function dataKey(keys: OperatorKeys, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(keys.dataPrefix.length + key.length);
  out.set(keys.dataPrefix);
  out.set(key, keys.dataPrefix.length);
  return out;
}

/**
 * The version marker: the last committed batch id (-1 = none), the row count of that version and the digest of
 * its entries and of the previous version's (see entryDigest; absent in markers written before the digest).
 */
export interface VersionMarker {
  readonly version: number;
  readonly numRows: number;
  readonly digest?: number | undefined;
  readonly previousDigest?: number | undefined;
}

/**
 * What rolls version `version` back to `previousVersion`: the previous value bytes of every key `version` changed
 * (`null` = the key was absent), and the previous row count.
 */
export interface UndoRecord {
  readonly version: number;
  readonly previousVersion: number;
  readonly previousNumRows: number;
  readonly keys: readonly Uint8Array[];
  readonly values: readonly (Uint8Array | null)[];
}

const recordPackr = new Packr({ useRecords: false, structuredClone: false, copyBuffers: true });

/** An empty operator: nothing committed. */
export const NO_VERSION: VersionMarker = { version: -1, numRows: 0 };

/** The bytes of a version marker. */
export function encodeMarker(marker: VersionMarker): Uint8Array {
  const record: Record<string, number> = { v: marker.version, r: marker.numRows };
  if (marker.digest !== undefined) record.d = marker.digest;
  if (marker.previousDigest !== undefined) record.pd = marker.previousDigest;
  return recordPackr.pack(record);
}

function isDigest(value: unknown): boolean {
  return value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) < 2 ** 32);
}

/** Parses a version marker; `STATE_CORRUPT` when malformed. */
export function decodeMarker(bytes: Uint8Array, operatorId: string): VersionMarker {
  const record = unpack(bytes, operatorId, 'version marker') as { v?: unknown; r?: unknown; d?: unknown; pd?: unknown };
  if (!Number.isSafeInteger(record?.v) || !Number.isSafeInteger(record?.r) || !isDigest(record.d) || !isDigest(record.pd)) {
    throw stateCorrupt(`Version marker of operator ${operatorId} is malformed`, { operatorId });
  }
  return {
    version: record.v as number,
    numRows: record.r as number,
    digest: record.d as number | undefined,
    previousDigest: record.pd as number | undefined,
  };
}

/**
 * The first byte of an undo record in the binary form: 0xC1, the one byte msgpack never uses, so a record of
 * the first form (a msgpack map, 0x85) is told apart and still read.
 */
const UNDO_BINARY = 0xc1;
const UNDO_HEADER_BYTES = 1 + 8 + 8 + 8 + 4;

/**
 * The bytes of an undo record: `0xC1`, version, previous version and previous row count (float64), the entry
 * count (uint32), then per entry the key length (uint32) and key, the previous value's length (int32, -1 for
 * absent) and bytes; big-endian. Hand-rolled rather than msgpack, which spent 2 µs per entry here; one off-heap
 * Buffer, so LevelDB's binding takes it without copying it out of the JS heap first (see OffHeapSlab).
 */
export function encodeUndo(undo: UndoRecord): Uint8Array {
  let size = UNDO_HEADER_BYTES;
  for (let i = 0; i < undo.keys.length; i += 1) size += 8 + undo.keys[i]!.length + (undo.values[i]?.length ?? 0);
  const out = Buffer.allocUnsafeSlow(size);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out[0] = UNDO_BINARY;
  view.setFloat64(1, undo.version);
  view.setFloat64(9, undo.previousVersion);
  view.setFloat64(17, undo.previousNumRows);
  view.setUint32(25, undo.keys.length);
  let at = UNDO_HEADER_BYTES;
  for (let i = 0; i < undo.keys.length; i += 1) {
    const key = undo.keys[i]!;
    const value = undo.values[i] ?? null;
    view.setUint32(at, key.length);
    out.set(key, at + 4);
    at += 4 + key.length;
    view.setInt32(at, value === null ? -1 : value.length);
    at += 4;
    if (value !== null) {
      out.set(value, at);
      at += value.length;
    }
  }
  return out;
}

/** Parses an undo record (either form); `STATE_CORRUPT` when malformed. */
export function decodeUndo(bytes: Uint8Array, operatorId: string): UndoRecord {
  if (bytes[0] === UNDO_BINARY) return decodeBinaryUndo(bytes, operatorId);
  const r = unpack(bytes, operatorId, 'undo record') as Record<string, unknown>;
  const ok =
    Number.isSafeInteger(r?.v) &&
    Number.isSafeInteger(r?.pv) &&
    Number.isSafeInteger(r?.pr) &&
    Array.isArray(r?.k) &&
    Array.isArray(r?.b) &&
    (r.k as unknown[]).length === (r.b as unknown[]).length;
  if (!ok) throw stateCorrupt(`Undo record of operator ${operatorId} is malformed`, { operatorId });
  return {
    version: r.v as number,
    previousVersion: r.pv as number,
    previousNumRows: r.pr as number,
    keys: r.k as Uint8Array[],
    values: r.b as (Uint8Array | null)[],
  };
}

function decodeBinaryUndo(bytes: Uint8Array, operatorId: string): UndoRecord {
  const malformed = (why: string) => stateCorrupt(`Undo record of operator ${operatorId} is malformed: ${why}`, { operatorId });
  if (bytes.length < UNDO_HEADER_BYTES) throw malformed(`${bytes.length} bytes, shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getFloat64(1);
  const previousVersion = view.getFloat64(9);
  const previousNumRows = view.getFloat64(17);
  if (![version, previousVersion, previousNumRows].every(Number.isSafeInteger)) throw malformed('a header field is not an integer');
  const count = view.getUint32(25);
  const keys: Uint8Array[] = [];
  const values: (Uint8Array | null)[] = [];
  const copy = (from: number, length: number) => Uint8Array.prototype.slice.call(bytes, from, from + length) as Uint8Array;
  let at = UNDO_HEADER_BYTES;
  for (let i = 0; i < count; i += 1) {
    if (at + 4 > bytes.length) throw malformed(`entry ${i} of ${count} is cut short`);
    const keyLength = view.getUint32(at);
    if (at + 4 + keyLength + 4 > bytes.length) throw malformed(`entry ${i} of ${count} is cut short`);
    keys.push(copy(at + 4, keyLength));
    at += 4 + keyLength;
    const valueLength = view.getInt32(at);
    at += 4;
    if (valueLength === -1) values.push(null);
    else if (valueLength < 0 || at + valueLength > bytes.length) throw malformed(`entry ${i} of ${count} is cut short`);
    else {
      values.push(copy(at, valueLength));
      at += valueLength;
    }
  }
  if (at !== bytes.length) throw malformed(`${bytes.length - at} bytes after the last entry`);
  return { version, previousVersion, previousNumRows, keys, values };
}

function unpack(bytes: Uint8Array, operatorId: string, what: string): unknown {
  try {
    return recordPackr.unpack(bytes);
  } catch (cause) {
    throw stateCorrupt(`Cannot decode the ${what} of operator ${operatorId}`, { operatorId }, cause);
  }
}
