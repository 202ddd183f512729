/**
 * planRecovery, exhaustively.
 *
 * The oracle does not share the planner's logic: it simulates the writer (metadata, then per batch offsets/N,
 * commits/N, retention purge, with a crash possible at every step tearing the write in flight) and records
 * every on-disk state it can leave, with the plan that state calls for. A state the writer cannot leave must
 * be an error plan, and the error must be justified by a defect the state really has.
 */
import type { CheckpointMetadata } from '../../lib/checkpoint/CheckpointMetadata';
import type { CommitEntry } from '../../lib/checkpoint/CommitLog';
import type { FileStatus } from '../../lib/checkpoint/FileStatus';
import type { OffsetSeq } from '../../lib/checkpoint/OffsetSeqLog';
import { planRecovery, type CheckpointSnapshot, type RecoveryPlan } from '../../lib/checkpoint/recoveryPlanner';
import { ErrorCodes } from '../../lib/errors';

const QUERY_ID = '00000000-0000-4000-8000-000000000001';
const NUM_SOURCES = 2;

// ---------------------------------------------------------------- entries with per-batch values
const offsetsWatermark = (b: number): number => 1000 * b;
// Even batches advance the watermark in the commit, odd ones do not: resume must take the max either way.
const commitWatermark = (b: number): number => (b % 2 === 0 ? 1000 * b + 500 : 1000 * b - 500);
const offsetSeq = (b: number, overrides: Partial<OffsetSeq['metadata']> = {}, numSources = NUM_SOURCES): OffsetSeq => ({
  metadata: { batchWatermarkMs: offsetsWatermark(b), batchTimestampMs: 1_700_000_000_000 + b, conf: {}, queryId: QUERY_ID, ...overrides },
  offsets: Array.from({ length: numSources }, (_, i) => (i === 1 && b === 0 ? null : { source: i, upTo: b })),
});
const commitEntry = (b: number, queryId = QUERY_ID): CommitEntry => ({ nextBatchWatermarkMs: commitWatermark(b), queryId });

// ---------------------------------------------------------------- file states
type Slot = 'missing' | 'ok' | 'torn' | 'corrupt' | 'unsupported';
const SLOTS: readonly Slot[] = ['missing', 'ok', 'torn', 'corrupt', 'unsupported'];

function status<T>(slot: Exclude<Slot, 'missing'>, value: () => T): FileStatus<T> {
  switch (slot) {
    case 'ok':
      return { kind: 'ok', value: value() };
    case 'torn':
      return { kind: 'torn', reason: 'file does not end with a complete line' };
    case 'corrupt':
      return { kind: 'corrupt', reason: 'checksum mismatch' };
    case 'unsupported':
      return { kind: 'unsupportedVersion', version: 9, maxVersion: 1 };
  }
}

/** A checkpoint as slots: what each file is. */
interface Disk {
  metadata: Slot;
  offsets: Map<number, Exclude<Slot, 'missing'>>;
  commits: Map<number, Exclude<Slot, 'missing'>>;
}

function snapshotOf(disk: Disk): CheckpointSnapshot {
  return {
    metadata: disk.metadata === 'missing' ? undefined : status<CheckpointMetadata>(disk.metadata, () => ({ id: QUERY_ID })),
    offsets: new Map([...disk.offsets].map(([b, s]) => [b, status(s, () => offsetSeq(b))])),
    commits: new Map([...disk.commits].map(([b, s]) => [b, status(s, () => commitEntry(b))])),
  };
}

const keyOf = (disk: Disk): string => {
  const part = (m: Map<number, string>): string => [...m].sort(([a], [b]) => a - b).map(([b, s]) => `${b}:${s}`).join(',');
  return `${disk.metadata}|${part(disk.offsets)}|${part(disk.commits)}`;
};

// ---------------------------------------------------------------- the writer model
type Expected =
  | { kind: 'fresh'; discard: string[] }
  | { kind: 'resume'; nextBatchId: number; discard: string[] }
  | { kind: 'rerun'; batchId: number; discard: string[] };

/**
 * Every state the writer leaves when it stops at any instant, for batches 0..batches-1, each retention in
 * `retains`, and either purge order (weir purges offsets first; a checkpoint purged commits-first, by another
 * writer, is accepted too). It restarts from every intact state it leaves (as recovery would have it), so
 * the states of crash, restart, crash... are included: a purge cut short is only finished by the next one.
 */
function writerStates(batches: number, retains: readonly number[]): Map<string, Expected> {
  const states = new Map<string, Expected>();
  for (const retain of retains) {
    for (const purgeOrder of [['offsets', 'commits'], ['commits', 'offsets']] as const) {
      const restartFrom: Disk[] = [];
      const restarted = new Set<string>();
      const clone = (disk: Disk): Disk => ({ metadata: disk.metadata, offsets: new Map(disk.offsets), commits: new Map(disk.commits) });
      const record = (disk: Disk, expected: Expected): void => {
        const key = keyOf(disk);
        const known = states.get(key);
        if (known !== undefined && JSON.stringify(known) !== JSON.stringify(expected)) {
          throw new Error(`writer model is ambiguous at ${key}: ${JSON.stringify(known)} vs ${JSON.stringify(expected)}`);
        }
        states.set(key, expected);
        if (expected.discard.length === 0 && !restarted.has(key)) {
          restarted.add(key);
          restartFrom.push(clone(disk));
        }
      };
      const withTorn = (disk: Disk, log: 'offsets' | 'commits', b: number): Disk => {
        const copy = clone(disk);
        copy[log].set(b, 'torn');
        return copy;
      };
      /** The writer from batch `from`, whose offsets are already logged when `logged`. */
      const run = (disk: Disk, from: number, logged: boolean): void => {
        for (let b = from; b < batches; b++) {
          if (!logged || b > from) {
            record(
              withTorn(disk, 'offsets', b),
              b === 0 ? { kind: 'fresh', discard: ['offsets/0'] } : { kind: 'resume', nextBatchId: b, discard: [`offsets/${b}`] },
            );
            disk.offsets.set(b, 'ok');
            record(disk, { kind: 'rerun', batchId: b, discard: [] });
          }
          record(withTorn(disk, 'commits', b), { kind: 'rerun', batchId: b, discard: [`commits/${b}`] });
          disk.commits.set(b, 'ok');
          record(disk, { kind: 'resume', nextBatchId: b + 1, discard: [] });
          const threshold = b - retain + 1;
          for (const log of purgeOrder) {
            for (const id of [...disk[log].keys()].sort((x, y) => x - y)) {
              if (id >= threshold) break;
              disk[log].delete(id);
              record(disk, { kind: 'resume', nextBatchId: b + 1, discard: [] });
            }
          }
        }
      };
      const empty: Disk = { metadata: 'missing', offsets: new Map(), commits: new Map() };
      record(empty, { kind: 'fresh', discard: [] });
      record({ ...empty, metadata: 'torn' }, { kind: 'fresh', discard: ['metadata'] });
      record({ ...empty, metadata: 'ok' }, { kind: 'fresh', discard: [] });
      // Restart from every intact state met, until no new one appears.
      for (let next = restartFrom.shift(); next !== undefined; next = restartFrom.shift()) {
        const expected = states.get(keyOf(next)) as Expected;
        if (expected.kind === 'fresh') {
          if (next.metadata === 'ok') run(next, 0, false);
        } else if (expected.kind === 'resume') {
          run(next, expected.nextBatchId, false);
        } else {
          run(next, expected.batchId, true);
        }
      }
    }
  }
  return states;
}

const REACHABLE = writerStates(8, [1, 2, 3, 4, 5, 6, 7, 8, 9]);

// ---------------------------------------------------------------- checking one state
function pathSlot(disk: Disk, path: string): Slot {
  if (path === 'metadata') return disk.metadata;
  const match = /^(offsets|commits)\/(\d+)$/.exec(path);
  if (!match) throw new Error(`unexpected path ${path}`);
  return disk[match[1] as 'offsets' | 'commits'].get(Number(match[2])) ?? 'missing';
}

const allFiles = (disk: Disk): Array<[string, Slot]> => [
  ['metadata', disk.metadata],
  ...[...disk.offsets].map(([b, s]): [string, Slot] => [`offsets/${b}`, s]),
  ...[...disk.commits].map(([b, s]): [string, Slot] => [`commits/${b}`, s]),
];

/** The state with every corrupt / unsupported file read as intact: what its shape alone says. */
function relaxed(disk: Disk): Disk {
  const fix = <S extends Slot>(s: S): S => (s === 'corrupt' || s === 'unsupported' ? ('ok' as S) : s);
  return {
    metadata: fix(disk.metadata),
    offsets: new Map([...disk.offsets].map(([b, s]) => [b, fix(s)])),
    commits: new Map([...disk.commits].map(([b, s]) => [b, fix(s)])),
  };
}

/** Returns the problems with `plan` for `disk` (empty = correct). */
function check(disk: Disk): string[] {
  const snapshot = snapshotOf(disk);
  const plan = planRecovery(snapshot, { numSources: NUM_SOURCES });
  const problems: string[] = [];
  const files = allFiles(disk);

  // Invariants, whatever the state.
  if (plan.kind !== 'error') {
    for (const discarded of plan.discard) {
      if (pathSlot(disk, discarded) !== 'torn') problems.push(`discards ${discarded}, which is not torn`);
    }
    if (plan.discard.length > 1) problems.push('discards more than the one last write');
    for (const [path, slot] of files) {
      if (slot === 'corrupt' || slot === 'unsupported') problems.push(`plans ${plan.kind} despite damaged ${path}`);
      if (slot === 'torn' && !plan.discard.includes(path)) problems.push(`plans ${plan.kind} past torn ${path} without discarding it`);
    }
  }

  const expected = REACHABLE.get(keyOf(disk));
  if (expected !== undefined) {
    if (plan.kind !== expected.kind) return [...problems, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(plan)}`];
    if (JSON.stringify(plan.discard) !== JSON.stringify(expected.discard)) problems.push(`discard ${JSON.stringify(plan.discard)}`);
    problems.push(...checkValues(plan, expected, snapshot));
    return problems;
  }

  if (plan.kind !== 'error') return [...problems, `unreachable state planned as ${plan.kind}`];
  const slot = plan.path === undefined ? undefined : pathSlot(disk, plan.path);
  const logsExist = disk.offsets.size + disk.commits.size > 0;
  const shapeUnreachable = !REACHABLE.has(keyOf(relaxed(disk)));
  switch (plan.code) {
    case ErrorCodes.CHECKPOINT_CORRUPT:
      if (slot !== 'corrupt' && slot !== 'torn') problems.push(`CORRUPT names ${plan.path}, which is ${slot}`);
      break;
    case ErrorCodes.CHECKPOINT_UNSUPPORTED_VERSION:
      if (slot !== 'unsupported') problems.push(`UNSUPPORTED_VERSION names ${plan.path}, which is ${slot}`);
      break;
    case ErrorCodes.CHECKPOINT_METADATA_MISSING:
      if (disk.metadata !== 'missing' || !logsExist) problems.push('METADATA_MISSING without cause');
      break;
    case ErrorCodes.CHECKPOINT_MISSING_BATCH:
      if (!shapeUnreachable) problems.push('MISSING_BATCH for a shape the writer leaves');
      if (slot !== 'missing' && slot !== 'torn') problems.push(`MISSING_BATCH names ${plan.path}, which is ${slot}`);
      if (plan.batchId === undefined) problems.push('MISSING_BATCH without batchId');
      break;
    case ErrorCodes.CHECKPOINT_INCONSISTENT:
      if (!shapeUnreachable) problems.push('INCONSISTENT for a shape the writer leaves');
      if (slot === 'missing' || slot === undefined) problems.push(`INCONSISTENT names ${plan.path}, which is ${slot}`);
      break;
    default:
      problems.push(`unjustified code ${plan.code}`);
  }
  return problems;
}

function checkValues(plan: RecoveryPlan, expected: Expected, snapshot: CheckpointSnapshot): string[] {
  const problems: string[] = [];
  const okValue = <T>(status: FileStatus<T> | undefined): T | undefined => (status?.kind === 'ok' ? status.value : undefined);
  if (plan.kind === 'resume' && expected.kind === 'resume') {
    const last = expected.nextBatchId - 1;
    if (plan.nextBatchId !== expected.nextBatchId) problems.push(`nextBatchId ${plan.nextBatchId}`);
    if (plan.lastCommitted.batchId !== last) problems.push(`lastCommitted.batchId ${plan.lastCommitted.batchId}`);
    if (plan.lastCommitted.offsets !== okValue(snapshot.offsets.get(last))) problems.push('lastCommitted.offsets is not the logged entry');
    if (plan.commit !== okValue(snapshot.commits.get(last))) problems.push('commit is not the logged entry');
    if (plan.watermarkMs !== Math.max(offsetsWatermark(last), commitWatermark(last))) problems.push(`watermark ${plan.watermarkMs}`);
  }
  if (plan.kind === 'rerun' && expected.kind === 'rerun') {
    const b = expected.batchId;
    if (plan.batchId !== b) problems.push(`batchId ${plan.batchId}`);
    if (plan.offsets !== okValue(snapshot.offsets.get(b))) problems.push('rerun offsets are not the logged entry');
    const previous = b === 0 ? null : okValue(snapshot.offsets.get(b - 1));
    if (plan.previous !== previous) problems.push('previous is not offsets/N-1');
    if (plan.watermarkMs !== offsetsWatermark(b)) problems.push(`watermark ${plan.watermarkMs}`);
    if (plan.batchTimestampMs !== 1_700_000_000_000 + b) problems.push(`batchTimestampMs ${plan.batchTimestampMs}`);
  }
  return problems;
}

// ---------------------------------------------------------------- the enumeration
/**
 * The window around batch N: metadata, offsets/N-1, offsets/N, offsets/N+1, commits/N-1, commits/N, each in
 * every state. "history" puts intact batches 0..N-2 in both logs below the window; without it N-1 = 0.
 */
const CONFIGS = [
  { name: 'no history (N = 1)', n: 1, history: 0 },
  { name: 'history 0..3 (N = 5)', n: 5, history: 4 },
];

describe('planRecovery: every combination of 6 files x 5 states', () => {
  for (const config of CONFIGS) {
    for (const metadata of SLOTS) {
      it(`${config.name}, metadata ${metadata}: 3125 states`, () => {
        const failures: string[] = [];
        let counted = 0;
        const plans = new Map<string, number>();
        for (const o0 of SLOTS)
          for (const o1 of SLOTS)
            for (const o2 of SLOTS)
              for (const c0 of SLOTS)
                for (const c1 of SLOTS) {
                  const disk: Disk = { metadata, offsets: new Map(), commits: new Map() };
                  for (let b = 0; b < config.history; b++) {
                    disk.offsets.set(b, 'ok');
                    disk.commits.set(b, 'ok');
                  }
                  const n = config.n;
                  for (const [b, s] of [[n - 1, o0], [n, o1], [n + 1, o2]] as const) if (s !== 'missing') disk.offsets.set(b, s);
                  for (const [b, s] of [[n - 1, c0], [n, c1]] as const) if (s !== 'missing') disk.commits.set(b, s);
                  counted++;
                  const problems = check(disk);
                  const plan = planRecovery(snapshotOf(disk), { numSources: NUM_SOURCES });
                  const label = plan.kind === 'error' ? plan.code : plan.kind;
                  plans.set(label, (plans.get(label) ?? 0) + 1);
                  if (problems.length > 0 && failures.length < 20) failures.push(`${keyOf(disk)}: ${problems.join('; ')}`);
                }
        expect(counted).toBe(3125);
        expect(failures).toEqual([]);
        // The enumeration reaches the interesting outcomes, not only errors.
        if (metadata === 'ok') {
          for (const kind of ['resume', 'rerun', ErrorCodes.CHECKPOINT_CORRUPT, ErrorCodes.CHECKPOINT_MISSING_BATCH, ErrorCodes.CHECKPOINT_INCONSISTENT]) {
            expect(plans.get(kind) ?? 0).toBeGreaterThan(0);
          }
        }
      });
    }
  }

  it('the writer model itself covers every plan kind with and without discards', () => {
    const kinds = new Set([...REACHABLE.values()].map((e) => `${e.kind}:${e.discard.length}`));
    expect([...kinds].sort()).toEqual(['fresh:0', 'fresh:1', 'rerun:0', 'rerun:1', 'resume:0', 'resume:1']);
  });
});

// ---------------------------------------------------------------- named cases
const ok = <T>(value: T): FileStatus<T> => ({ kind: 'ok', value });
function snapshot(
  offsets: Array<[number, FileStatus<OffsetSeq>]>,
  commits: Array<[number, FileStatus<CommitEntry>]>,
  metadata: FileStatus<CheckpointMetadata> | 'missing' = ok({ id: QUERY_ID }),
): CheckpointSnapshot {
  return { metadata: metadata === 'missing' ? undefined : metadata, offsets: new Map(offsets), commits: new Map(commits) };
}
const batches = (ids: number[]): Array<[number, FileStatus<OffsetSeq>]> => ids.map((b) => [b, ok(offsetSeq(b))]);
const commitsOf = (ids: number[]): Array<[number, FileStatus<CommitEntry>]> => ids.map((b) => [b, ok(commitEntry(b))]);
const plan = (s: CheckpointSnapshot, numSources = NUM_SOURCES): RecoveryPlan => planRecovery(s, { numSources });

describe('planRecovery: named cases', () => {
  it('fresh for an empty checkpoint, with or without metadata', () => {
    expect(plan(snapshot([], [], 'missing'))).toEqual({ kind: 'fresh', discard: [] });
    expect(plan(snapshot([], []))).toEqual({ kind: 'fresh', discard: [] });
    expect(plan(snapshot([], [], { kind: 'torn', reason: 'x' }))).toEqual({ kind: 'fresh', discard: ['metadata'] });
  });

  it('resumes after the last committed batch with max(offsets, commit) watermark', () => {
    const s = snapshot(batches([0, 1, 2]), commitsOf([0, 1, 2]));
    const p = plan(s);
    expect(p).toMatchObject({ kind: 'resume', nextBatchId: 3, lastCommitted: { batchId: 2 }, watermarkMs: 2500, discard: [] });
    if (p.kind === 'resume') expect(p.lastCommitted.offsets).toBe((s.offsets.get(2) as { value: OffsetSeq }).value);
    expect(plan(snapshot(batches([0, 1]), commitsOf([0, 1])))).toMatchObject({ kind: 'resume', watermarkMs: 1000 });
  });

  it('re-runs the uncommitted batch with exactly its logged entry, watermark and time', () => {
    const s = snapshot(batches([0, 1, 2]), commitsOf([0, 1]));
    const p = plan(s);
    expect(p).toMatchObject({ kind: 'rerun', batchId: 2, watermarkMs: 2000, batchTimestampMs: 1_700_000_000_002 });
    if (p.kind === 'rerun') {
      expect(p.offsets).toBe((s.offsets.get(2) as { value: OffsetSeq }).value);
      expect(p.previous).toBe((s.offsets.get(1) as { value: OffsetSeq }).value);
    }
    expect(plan(snapshot(batches([0]), []))).toMatchObject({ kind: 'rerun', batchId: 0, previous: null });
  });

  it('accepts retention having purged the oldest entries, unevenly between the logs', () => {
    expect(plan(snapshot(batches([7, 8, 9]), commitsOf([5, 6, 7, 8])))).toMatchObject({ kind: 'rerun', batchId: 9 });
    expect(plan(snapshot(batches([5, 6, 7, 8]), commitsOf([8])))).toMatchObject({ kind: 'resume', nextBatchId: 9 });
    expect(plan(snapshot(batches([8]), commitsOf([8])))).toMatchObject({ kind: 'resume', nextBatchId: 9 });
  });

  it('discards a torn last write: offsets/N+1 → resume after N; commits/N → re-run N', () => {
    const torn = { kind: 'torn', reason: 'x' } as const;
    expect(plan(snapshot([...batches([0, 1]), [2, torn]], commitsOf([0, 1])))).toMatchObject({
      kind: 'resume',
      nextBatchId: 2,
      discard: ['offsets/2'],
    });
    expect(plan(snapshot(batches([0, 1]), [...commitsOf([0]), [1, torn]]))).toMatchObject({
      kind: 'rerun',
      batchId: 1,
      discard: ['commits/1'],
    });
    expect(plan(snapshot([[0, torn]], []))).toEqual({ kind: 'fresh', discard: ['offsets/0'] });
  });

  it('a torn file that is not the last write is corruption', () => {
    const torn = { kind: 'torn', reason: 'x' } as const;
    // offsets/1 was durable before commits/1 was written: its tear is not a crash's.
    expect(plan(snapshot([...batches([0]), [1, torn]], commitsOf([0, 1])))).toMatchObject({
      kind: 'error',
      code: ErrorCodes.CHECKPOINT_CORRUPT,
      path: 'offsets/1',
      batchId: 1,
    });
    expect(plan(snapshot(batches([0, 1, 2]), [[0, torn], ...commitsOf([1])]))).toMatchObject({
      code: ErrorCodes.CHECKPOINT_CORRUPT,
      path: 'commits/0',
    });
    expect(plan(snapshot(batches([0]), [], { kind: 'torn', reason: 'x' }))).toMatchObject({
      code: ErrorCodes.CHECKPOINT_CORRUPT,
      path: 'metadata',
    });
  });

  it('a checksum mismatch anywhere is corruption, even in an entry the plan would not read', () => {
    const corrupt = { kind: 'corrupt', reason: 'checksum mismatch' } as const;
    expect(plan(snapshot([[0, corrupt], ...batches([1, 2])], commitsOf([0, 1, 2])))).toMatchObject({
      code: ErrorCodes.CHECKPOINT_CORRUPT,
      path: 'offsets/0',
      batchId: 0,
    });
  });

  it('wrong query id in offsets or commits: CHECKPOINT_QUERY_ID_MISMATCH', () => {
    const other = '00000000-0000-4000-8000-0000000000ff';
    expect(plan(snapshot([...batches([0]), [1, ok(offsetSeq(1, { queryId: other }))]], commitsOf([0])))).toMatchObject({
      code: ErrorCodes.CHECKPOINT_QUERY_ID_MISMATCH,
      path: 'offsets/1',
      batchId: 1,
    });
    expect(plan(snapshot(batches([0, 1]), [...commitsOf([0]), [1, ok(commitEntry(1, other))]]))).toMatchObject({
      code: ErrorCodes.CHECKPOINT_QUERY_ID_MISMATCH,
      path: 'commits/1',
    });
  });

  it('a gap inside a log: CHECKPOINT_MISSING_BATCH naming the first missing batch', () => {
    expect(plan(snapshot(batches([0, 1, 3, 4]), commitsOf([0, 1, 2, 3])))).toMatchObject({
      code: ErrorCodes.CHECKPOINT_MISSING_BATCH,
      path: 'offsets/2',
      batchId: 2,
    });
    expect(plan(snapshot(batches([0, 1, 2, 3]), commitsOf([0, 2, 3])))).toMatchObject({
      code: ErrorCodes.CHECKPOINT_MISSING_BATCH,
      path: 'commits/1',
    });
  });

  it("re-running N > 0 without offsets/N-1: Spark's \"batch N-1 doesn't exist\"", () => {
    const p = plan(snapshot(batches([5]), commitsOf([3, 4])));
    expect(p).toMatchObject({ code: ErrorCodes.CHECKPOINT_MISSING_BATCH, path: 'offsets/4', batchId: 4 });
    expect(p.kind === 'error' && p.message).toContain("batch 4 doesn't exist");
  });

  it('logs that no crash can produce: CHECKPOINT_INCONSISTENT', () => {
    expect(plan(snapshot(batches([0, 1]), commitsOf([0, 1, 2])))).toMatchObject({
      code: ErrorCodes.CHECKPOINT_INCONSISTENT,
      path: 'commits/2',
    });
    expect(plan(snapshot([], commitsOf([0])))).toMatchObject({ code: ErrorCodes.CHECKPOINT_INCONSISTENT });
    expect(plan(snapshot(batches([0, 1, 2, 3]), commitsOf([0, 1])))).toMatchObject({
      code: ErrorCodes.CHECKPOINT_INCONSISTENT,
      path: 'offsets/3',
    });
    expect(plan(snapshot(batches([0, 1]), []))).toMatchObject({ code: ErrorCodes.CHECKPOINT_INCONSISTENT });
  });

  it('an unknown log version: CHECKPOINT_UNSUPPORTED_VERSION with Spark-like text', () => {
    const p = plan(snapshot([...batches([0]), [1, { kind: 'unsupportedVersion', version: 9, maxVersion: 1 }]], commitsOf([0])));
    expect(p).toMatchObject({ code: ErrorCodes.CHECKPOINT_UNSUPPORTED_VERSION, path: 'offsets/1', batchId: 1 });
    expect(p.kind === 'error' && p.message).toContain(
      'UnsupportedLogVersion: maximum supported log version is v1, but encountered v9. The log file was produced by a ' +
        'newer version of weir and cannot be read by this version. Please upgrade.',
    );
    expect(plan(snapshot([], [], { kind: 'unsupportedVersion', version: 2, maxVersion: 1 }))).toMatchObject({
      code: ErrorCodes.CHECKPOINT_UNSUPPORTED_VERSION,
      path: 'metadata',
    });
  });

  it('logs without metadata: CHECKPOINT_METADATA_MISSING', () => {
    expect(plan(snapshot(batches([0]), [], 'missing'))).toMatchObject({
      code: ErrorCodes.CHECKPOINT_METADATA_MISSING,
      path: 'metadata',
    });
  });

  it('a different number of sources than logged: CHECKPOINT_SOURCES_CHANGED', () => {
    const p = plan(snapshot(batches([0, 1]), commitsOf([0, 1])), 3);
    expect(p).toMatchObject({ code: ErrorCodes.CHECKPOINT_SOURCES_CHANGED, path: 'offsets/0' });
    expect(p.kind === 'error' && p.message).toContain('There are [2] sources in the checkpoint offsets and now there are [3]');
    expect(plan(snapshot([[0, ok(offsetSeq(0, {}, 1))]], []), 1)).toMatchObject({ kind: 'rerun', batchId: 0 });
  });

  it('is pure: the snapshot is not modified and the same input gives the same plan', () => {
    const torn = { kind: 'torn', reason: 'x' } as const;
    const s = snapshot([...batches([0, 1]), [2, torn]], commitsOf([0, 1]));
    const before = JSON.stringify([[...s.offsets], [...s.commits], s.metadata]);
    expect(plan(s)).toEqual(plan(s));
    expect(JSON.stringify([[...s.offsets], [...s.commits], s.metadata])).toBe(before);
  });
});
