/**
 * Delta's log actions (PROTOCOL.md "Actions") as typed values, and their JSON codec: one action per line of a
 * `_delta_log/<version>.json` commit, keyed by its action name, with Delta's exact field names.
 *
 * Invariant: `decodeCommit(encodeCommit(actions))` gives the actions back field for field; `partitionValues` are
 * strings (null for a null value) and `stats` stays the JSON string of the file (read with `parseStats`); an
 * action of a kind this weir does not model (`cdc`, `domainMetadata`, `checkpointMetadata`, `sidecar`, ...) is kept
 * as `{ kind: 'other' }` with its raw JSON, never dropped silently from a re-encoding; a line that is not a JSON
 * object with exactly one action key is a corrupt log (DELTA_LOG_CORRUPT), never skipped.
 */
import { logCorrupt } from './deltaErrors';

/** `protocol`: the reader/writer versions and (reader 3 / writer 7) the table features. */
export interface ProtocolAction {
  readonly minReaderVersion: number;
  readonly minWriterVersion: number;
  readonly readerFeatures?: readonly string[];
  readonly writerFeatures?: readonly string[];
}

/** `metaData`: the table's id, schema (Spark's JSON form), partition columns and configuration. */
export interface MetadataAction {
  readonly id: string;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly format: { readonly provider: string; readonly options: Readonly<Record<string, string>> };
  readonly schemaString: string;
  readonly partitionColumns: readonly string[];
  readonly configuration: Readonly<Record<string, string>>;
  readonly createdTime?: number | null;
}

/** A deletion vector descriptor (PROTOCOL.md "Deletion Vector Descriptor Schema"). */
export interface DeletionVectorDescriptor {
  readonly storageType: string;
  readonly pathOrInlineDv: string;
  readonly offset?: number | null;
  readonly sizeInBytes: number;
  readonly cardinality: number;
}

/** `add`: a data file that is part of the table from this version on. */
export interface AddAction {
  /** A relative (to the table root) or absolute URI, percent-encoded. */
  readonly path: string;
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly size: number;
  readonly modificationTime: number;
  readonly dataChange: boolean;
  /** The file's statistics as a JSON string (see {@link FileStats}). */
  readonly stats?: string | null;
  readonly tags?: Readonly<Record<string, string>> | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
  readonly baseRowId?: number | null;
  readonly defaultRowCommitVersion?: number | null;
  readonly clusteringProvider?: string | null;
}

/** `remove`: a data file that is no longer part of the table (a tombstone). */
export interface RemoveAction {
  readonly path: string;
  readonly deletionTimestamp?: number | null;
  readonly dataChange: boolean;
  readonly extendedFileMetadata?: boolean | null;
  readonly partitionValues?: Readonly<Record<string, string | null>> | null;
  readonly size?: number | null;
  readonly stats?: string | null;
  readonly tags?: Readonly<Record<string, string>> | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
  readonly baseRowId?: number | null;
  readonly defaultRowCommitVersion?: number | null;
}

/** `txn`: the latest version an application (a streaming query) committed (idempotent writes). */
export interface TxnAction {
  readonly appId: string;
  readonly version: number;
  readonly lastUpdated?: number | null;
}

/** `commitInfo`: free-form provenance (operation, parameters, timestamp, engineInfo, ...). */
export type CommitInfoAction = Readonly<Record<string, unknown>>;

/** One action of a commit, tagged by kind. */
export type Action =
  | { readonly kind: 'protocol'; readonly protocol: ProtocolAction }
  | { readonly kind: 'metaData'; readonly metaData: MetadataAction }
  | { readonly kind: 'add'; readonly add: AddAction }
  | { readonly kind: 'remove'; readonly remove: RemoveAction }
  | { readonly kind: 'txn'; readonly txn: TxnAction }
  | { readonly kind: 'commitInfo'; readonly commitInfo: CommitInfoAction }
  | { readonly kind: 'other'; readonly name: string; readonly value: unknown };

/** The statistics of a data file (PROTOCOL.md "Per-file Statistics"). */
export interface FileStats {
  readonly numRecords: number;
  readonly minValues?: Record<string, unknown>;
  readonly maxValues?: Record<string, unknown>;
  readonly nullCount?: Record<string, unknown>;
  /** Delta 3+: whether min/max are tight bounds (always true for files weir writes). */
  readonly tightBounds?: boolean;
}

const KNOWN = new Set(['protocol', 'metaData', 'add', 'remove', 'txn', 'commitInfo']);

/** Drops undefined fields, keeps nulls (Delta readers accept both for optional fields). */
function clean(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** The JSON object of one action (`{"add": {...}}`). */
export function actionToJson(a: Action): Record<string, unknown> {
  switch (a.kind) {
    case 'protocol':
      return { protocol: clean(a.protocol) };
    case 'metaData':
      return { metaData: clean(a.metaData) };
    case 'add':
      return { add: clean(a.add) };
    case 'remove':
      return { remove: clean(a.remove) };
    case 'txn':
      return { txn: clean(a.txn) };
    case 'commitInfo':
      return { commitInfo: clean(a.commitInfo) };
    case 'other':
      return { [a.name]: a.value };
  }
}

/** One action from its JSON object; `where` names the file and line for errors. */
export function actionFromJson(o: unknown, where: string): Action {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw logCorrupt(where, 'a line is not a JSON object');
  const keys = Object.keys(o);
  if (keys.length !== 1) throw logCorrupt(where, `an action line must hold exactly one action, found ${keys.length} keys`);
  const name = keys[0] as string;
  const v = (o as Record<string, unknown>)[name];
  if (!KNOWN.has(name)) return { kind: 'other', name, value: v };
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw logCorrupt(where, `the ${name} action is not an object`);
  const r = v as Record<string, unknown>;
  const need = (field: string, type: 'string' | 'number' | 'boolean' | 'object'): void => {
    const t = r[field] === null ? 'null' : typeof r[field];
    if (t !== type) throw logCorrupt(where, `${name}.${field} must be a ${type}, found ${t}`);
  };
  switch (name) {
    case 'protocol':
      need('minReaderVersion', 'number');
      need('minWriterVersion', 'number');
      return { kind: 'protocol', protocol: r as unknown as ProtocolAction };
    case 'metaData':
      need('id', 'string');
      need('schemaString', 'string');
      if (!Array.isArray(r.partitionColumns)) throw logCorrupt(where, 'metaData.partitionColumns must be an array');
      return {
        kind: 'metaData',
        metaData: { ...r, format: (r.format as MetadataAction['format']) ?? { provider: 'parquet', options: {} }, configuration: (r.configuration as Record<string, string>) ?? {} } as unknown as MetadataAction,
      };
    case 'add':
      need('path', 'string');
      need('size', 'number');
      return { kind: 'add', add: { ...r, partitionValues: (r.partitionValues as Record<string, string | null>) ?? {} } as unknown as AddAction };
    case 'remove':
      need('path', 'string');
      return { kind: 'remove', remove: r as unknown as RemoveAction };
    case 'txn':
      need('appId', 'string');
      need('version', 'number');
      return { kind: 'txn', txn: r as unknown as TxnAction };
    default:
      return { kind: 'commitInfo', commitInfo: r };
  }
}

/** The text of a commit file: one JSON action per line, `\n`-separated (as Delta writes it). */
export function encodeCommit(actions: readonly Action[]): string {
  return actions.map((a) => JSON.stringify(actionToJson(a))).join('\n') + '\n';
}

/**
 * The actions of a commit file's text. Blank lines are allowed (a trailing newline); any other line must parse.
 *
 * @throws WeirError SOURCE_ERROR (deltaError DeltaIllegalStateException, DELTA_LOG_CORRUPT) for a torn or corrupt file.
 */
export function decodeCommit(text: string, path: string): Action[] {
  const out: Action[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch (e) {
      throw logCorrupt(`${path}:${i + 1}`, `line ${i + 1} is not valid JSON (a torn or truncated write?)`, e);
    }
    out.push(actionFromJson(o, `${path}:${i + 1}`));
  }
  return out;
}

/** The stats of an `add` (undefined when it has none or they do not parse: stats are optional hints). */
export function parseStats(stats: string | null | undefined): FileStats | undefined {
  if (typeof stats !== 'string' || stats === '') return undefined;
  try {
    const o = JSON.parse(stats) as FileStats;
    return typeof o === 'object' && o !== null && typeof o.numRecords === 'number' ? o : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The identity of a logical file in a snapshot: its path plus its deletion vector's unique id (PROTOCOL.md:
 * "the primary key for the entry of a logical file in the set of files is a tuple of the data file's path and a
 * unique id describing the DV").
 */
export function fileKey(a: { readonly path: string; readonly deletionVector?: DeletionVectorDescriptor | null }): string {
  const dv = a.deletionVector;
  if (!dv) return a.path;
  return `${a.path}\u0000${dv.storageType}${dv.pathOrInlineDv}${dv.offset === undefined || dv.offset === null ? '' : `@${dv.offset}`}`;
}
