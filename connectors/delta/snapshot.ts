/**
 * Snapshot reconstruction (PROTOCOL.md "Action Reconciliation"): the table's state at a version, replayed from
 * the newest usable checkpoint at or before it plus the commits after it.
 *
 * Invariant: a snapshot of version v reflects exactly commits 0..v: the latest `protocol` and `metaData`, the
 * live files (adds minus removes, keyed by path + deletion vector id, in the order they were added), the
 * unexpired tombstones, and the latest `txn` version per appId. Every commit between the checkpoint and v must
 * exist (a gap is DELTA_VERSIONS_NOT_CONTIGUOUS, never skipped), and a table whose protocol weir cannot read is
 * refused before any file is listed to a caller.
 */
import { StructType } from '../../lib/values/types';
import { fileKey, type Action, type AddAction, type MetadataAction, type ProtocolAction, type RemoveAction, type TxnAction } from './actions';
import { readCheckpoint } from './checkpoint';
import { logCorrupt, notADeltaTable, versionNotFound, versionsNotContiguous } from './deltaErrors';
import { listLog, readCommit, readLogFile, type LogFileName } from './deltaLog';
import { checkRead } from './tableFeatures';

/** A table's state at one version. */
export interface Snapshot {
  readonly tablePath: string;
  readonly version: number;
  readonly protocol: ProtocolAction;
  readonly metadata: MetadataAction;
  /** The live files, keyed by {@link fileKey}, in the order they were added. */
  readonly files: ReadonlyMap<string, AddAction>;
  /** Remove actions not yet expired (kept in checkpoints, for vacuum and concurrent readers). */
  readonly tombstones: ReadonlyMap<string, RemoveAction>;
  /** The latest txn per appId. */
  readonly txns: ReadonlyMap<string, TxnAction>;
  /** The version of the checkpoint it was loaded from, if any. */
  readonly checkpointVersion: number | undefined;
}

/** The mutable replay state (one per reconstruction). */
export class SnapshotBuilder {
  protocol: ProtocolAction | undefined;
  metadata: MetadataAction | undefined;
  readonly files = new Map<string, AddAction>();
  readonly tombstones = new Map<string, RemoveAction>();
  readonly txns = new Map<string, TxnAction>();

  /** Applies one version's actions, in log order. */
  apply(actions: readonly Action[]): void {
    for (const a of actions) {
      switch (a.kind) {
        case 'protocol':
          this.protocol = a.protocol;
          break;
        case 'metaData':
          this.metadata = a.metaData;
          break;
        case 'add': {
          const k = fileKey(a.add);
          this.files.delete(k); // a re-add moves the file to the end (its newest version wins)
          this.files.set(k, a.add);
          this.tombstones.delete(k);
          break;
        }
        case 'remove': {
          const k = fileKey(a.remove);
          this.files.delete(k);
          this.tombstones.set(k, a.remove);
          break;
        }
        case 'txn':
          this.txns.set(a.txn.appId, a.txn);
          break;
        default:
          break;
      }
    }
  }

  build(tablePath: string, version: number, checkpointVersion: number | undefined): Snapshot {
    if (!this.protocol || !this.metadata) {
      throw logCorrupt(tablePath, `the log up to version ${version} has no ${this.protocol ? 'metaData' : 'protocol'} action`);
    }
    return {
      tablePath,
      version,
      protocol: this.protocol,
      metadata: this.metadata,
      files: this.files,
      tombstones: this.tombstones,
      txns: this.txns,
      checkpointVersion,
    };
  }
}

/** The table schema of a snapshot (Spark's JSON form in `schemaString`). */
export function snapshotSchema(s: Snapshot): StructType {
  try {
    return StructType.fromJson(s.metadata.schemaString);
  } catch (e) {
    throw logCorrupt(s.tablePath, `metaData.schemaString is not a Spark schema: ${(e as Error).message}`, e);
  }
}

/** Complete checkpoints (all parts present) by version, newest first. */
function completeCheckpoints(files: readonly LogFileName[]): Array<{ version: number; names: string[] }> {
  const byVersion = new Map<number, LogFileName[]>();
  for (const f of files) {
    if (f.type !== 'checkpoint') continue;
    const list = byVersion.get(f.version) ?? [];
    list.push(f);
    byVersion.set(f.version, list);
  }
  const out: Array<{ version: number; names: string[] }> = [];
  for (const [version, list] of byVersion) {
    const single = list.find((f) => f.type === 'checkpoint' && f.parts === undefined);
    if (single) {
      out.push({ version, names: [single.name] });
      continue;
    }
    // Multi-part: some complete set of parts 1..n (a crashed writer may have left an incomplete set).
    const byParts = new Map<number, Map<number, string>>();
    for (const f of list) {
      if (f.type !== 'checkpoint' || f.parts === undefined || f.part === undefined) continue;
      const m = byParts.get(f.parts) ?? new Map<number, string>();
      m.set(f.part, f.name);
      byParts.set(f.parts, m);
    }
    for (const [n, parts] of byParts) {
      if (parts.size === n && [...parts.keys()].every((p) => p >= 1 && p <= n)) {
        out.push({ version, names: [...parts.entries()].sort((a, b) => a[0] - b[0]).map(([, name]) => name) });
        break;
      }
    }
  }
  return out.sort((a, b) => b.version - a.version);
}

/** The newest version of the table (undefined when it has no log). */
export async function latestVersion(tablePath: string): Promise<number | undefined> {
  const files = await listLog(tablePath);
  let v: number | undefined;
  for (const f of files) if (f.type === 'commit' && (v === undefined || f.version > v)) v = f.version;
  return v;
}

/** Reads `_last_checkpoint` (a hint; undefined when absent or unreadable). */
export async function readLastCheckpoint(tablePath: string): Promise<{ version: number; size?: number; parts?: number } | undefined> {
  const bytes = await readLogFile(tablePath, '_last_checkpoint');
  if (!bytes) return undefined;
  try {
    const o = JSON.parse(bytes.toString('utf8')) as { version?: unknown };
    return typeof o.version === 'number' ? (o as { version: number }) : undefined;
  } catch {
    return undefined; // a hint only: the listing below is authoritative
  }
}

/**
 * The snapshot of `tablePath` at `version` (the latest when omitted).
 *
 * @throws WeirError PATH_NOT_FOUND (not a Delta table), INVALID_ARGUMENT (version not in the log), SOURCE_ERROR
 *   (corrupt log, versions not contiguous, unsupported features).
 */
export async function loadSnapshot(tablePath: string, version?: number): Promise<Snapshot> {
  const files = await listLog(tablePath);
  const commits = new Set<number>();
  let latest = -1;
  for (const f of files) {
    if (f.type === 'commit') {
      commits.add(f.version);
      latest = Math.max(latest, f.version);
    }
  }
  const checkpoints = completeCheckpoints(files);
  for (const c of checkpoints) latest = Math.max(latest, c.version);
  if (latest < 0) throw notADeltaTable(tablePath);
  const target = version ?? latest;
  if (!Number.isInteger(target) || target < 0 || target > latest) throw versionNotFound(tablePath, target, latest);
  const cp = checkpoints.find((c) => c.version <= target);
  const from = cp ? cp.version + 1 : 0;
  const builder = new SnapshotBuilder();
  if (cp) builder.apply(await readCheckpoint(tablePath, cp.names));
  const sorted = [...commits].filter((v) => v >= from && v <= target).sort((a, b) => a - b);
  for (let v = from; v <= target; v++) {
    if (!commits.has(v)) throw versionsNotContiguous(tablePath, sorted, v);
    const actions = await readCommit(tablePath, v);
    if (!actions) throw versionsNotContiguous(tablePath, sorted, v); // deleted between listing and reading
    builder.apply(actions);
  }
  const snapshot = builder.build(tablePath, target, cp?.version);
  checkRead(tablePath, snapshot.protocol, snapshot.metadata);
  return snapshot;
}

/** The actions of commits `from..to` (inclusive), each version's list; a missing one is a named error. */
export async function readCommits(tablePath: string, from: number, to: number): Promise<Action[][]> {
  const out: Action[][] = [];
  for (let v = from; v <= to; v++) {
    const actions = await readCommit(tablePath, v);
    if (!actions) throw versionsNotContiguous(tablePath, [from, to], v);
    out.push(actions);
  }
  return out;
}
