/**
 * What LevelDB dropped while it recovered a database, read from its info log (`<db>/LOG`).
 *
 * Invariant: LevelDB checks the CRC-32C of every log record it replays; a record that fails it (a flipped bit), a
 * fragment without its start (a zeroed block in the middle of a record) and the like are skipped, not reported to
 * the caller (`paranoid_checks` is off, and classic-level does not expose it), but each one is written to the
 * info log as `<file>: dropping <n> bytes; <reason>` (db_impl.cc, `LogReporter`). LevelDB renames the previous
 * info log to LOG.old at every open, so after `open()` the file LOG holds this open's recovery only.
 *
 * LevelDB turns the recovered log into a table file and deletes the damaged log during the same open, so the
 * finding has to be recorded at once: the provider stores it under {@link DAMAGE_KEY}, and every later open fails
 * on it until the state is rebuilt.
 */

/** The LevelDB key holding the first damage report found, JSON. */
export const DAMAGE_KEY = Uint8Array.from([0x00, ...new TextEncoder().encode('weir-state-damage')]);

/** One stretch of a log file LevelDB skipped. */
export interface DroppedRecord {
  /** The damaged file, as LevelDB named it (the database folder plus `NNNNNN.log`). */
  readonly file: string;
  readonly bytes: number;
  /** LevelDB's reason: `Corruption: checksum mismatch`, `Corruption: missing start of fragmented record(2)`, ... */
  readonly reason: string;
}

const DROPPING = /^\S+ \S+ (?:\(ignoring error\) )?(.+?): dropping (\d+) bytes; (.*)$/;

/** The drops reported in info-log text. */
export function parseDroppedRecords(text: string): DroppedRecord[] {
  const out: DroppedRecord[] = [];
  for (const line of text.split('\n')) {
    const match = DROPPING.exec(line.trimEnd());
    if (match) out.push({ file: match[1]!, bytes: Number(match[2]), reason: match[3]! });
  }
  return out;
}

/** The drops of the last open of the database at `location` (none when LOG is absent or unreadable). */
export async function droppedAtRecovery(location: string): Promise<DroppedRecord[]> {
  let fs: typeof import('node:fs/promises');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: not in browser bundles
    fs = require('node:fs/promises') as typeof import('node:fs/promises');
  } catch {
    return [];
  }
  const separator = location.includes('\\') && !location.includes('/') ? '\\' : '/';
  try {
    return parseDroppedRecords(await fs.readFile(`${location}${separator}LOG`, 'utf8'));
  } catch {
    return [];
  }
}
