/**
 * Issue #16 item 7: the state commit of batch N is on disk before commits/N is written. The default
 * LevelStateStoreProvider commits with `sync: true`: LevelDB fdatasyncs its log file before the commit resolves.
 * No test can cut the power, so this one watches the system calls: a child process (crash/syncChild.ts) runs
 * under strace, and every commit must be followed by a sync of a LevelDB log file before the child's own
 * "commits/N" marker is synced. (What a power loss without that sync leaves is restarted in stateDamage.spec.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LevelStateStoreProvider } from '../../lib/state/LevelStateStoreProvider';

const CHILD = path.join(__dirname, 'crash', 'syncChild.ts');
const TSCONFIG = path.join(__dirname, '..', '..', 'tsconfig.json');
const strace = spawnSync('strace', ['-qq', '-e', 'trace=none', 'true']);
const hasStrace = strace.status === 0;

describe('state commit durability', () => {
  it('the default provider syncs every commit', () => {
    expect(new LevelStateStoreProvider('/tmp/unused-state').sync).toBe(true);
    expect(new LevelStateStoreProvider('/tmp/unused-state', { sync: false }).sync).toBe(false);
  });

  (hasStrace ? it : it.skip)('syncs LevelDB\'s log file in each commit, before the commit resolves (strace)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'weir-state-sync-'));
    try {
      const marks = path.join(dir, 'marks');
      mkdirSync(marks);
      const trace = path.join(dir, 'trace');
      const commits = 10;
      const result = spawnSync(
        'strace',
        ['-f', '-qq', '-y', '-e', 'trace=fsync,fdatasync', '-o', trace, process.execPath, '-r', '@swc-node/register', CHILD],
        {
          env: { ...process.env, STATE_PATH: path.join(dir, 'state'), MARKS: marks, COMMITS: String(commits), SWC_NODE_PROJECT: TSCONFIG },
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect({ status: result.status, stderr: result.stderr.split('\n').filter((l) => /Error/.test(l)) }).toEqual({ status: 0, stderr: [] });
      // The syncs in order: `L` for a LevelDB log file, `M<N>` for the marker after commit N.
      const events: string[] = [];
      for (const line of readFileSync(trace, 'utf8').split('\n')) {
        if (!/ = 0$/.test(line)) continue;
        if (/<[^>]*\/leveldb\/\d+\.log>/.test(line)) events.push('L');
        const mark = /after-commit-(\d+)>/.exec(line);
        if (mark) events.push(`M${mark[1]}`);
      }
      const marksSeen = events.filter((e) => e.startsWith('M'));
      expect(marksSeen).toEqual(Array.from({ length: commits }, (_, n) => `M${n}`));
      // Between the marker of commit N-1 (or the start) and the marker of commit N, LevelDB synced its log.
      let sinceLastMark = 0;
      const missing: number[] = [];
      for (const e of events) {
        if (e === 'L') sinceLastMark += 1;
        else {
          if (sinceLastMark === 0) missing.push(Number(e.slice(1)));
          sinceLastMark = 0;
        }
      }
      expect({ commitsWithoutLogSync: missing }).toEqual({ commitsWithoutLogSync: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
