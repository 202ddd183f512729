/**
 * Real parts for the seed ports: a loopback line server (the guides' `nc -lk 9999`), temporary folders, a reader
 * of what the console sink prints, and a bounded wait for socket-fed queries.
 *
 * Invariant: nothing here stands in for weir: the console sink really writes to `process.stdout`; the capture
 * only keeps a copy of each write (and still prints nothing to the test log) until `restore()`.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A loopback server writing lines to every client (the guide's `nc -lk 9999`). */
export interface LineServer {
  readonly port: number;
  /** Sends the lines (each ended by `\n`) once a client is connected. */
  send(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export async function lineServer(): Promise<LineServer> {
  const clients: Socket[] = [];
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((r) => (connected = r));
  const server: Server = createServer((s) => {
    clients.push(s);
    connected();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    send: async (lines) => {
      await ready;
      await Promise.all(clients.map((c) => new Promise<void>((r) => c.write(`${lines.join('\n')}\n`, () => r()))));
    },
    close: () =>
      new Promise((r) => {
        clients.forEach((c) => c.destroy());
        server.close(() => r());
      }),
  };
}

/** Temporary folders removed by `cleanup()`. */
export function tempDirs(prefix = 'weir-seeds-'): { make(): string; cleanup(): void } {
  const roots: string[] = [];
  return {
    make: () => {
      const d = mkdtempSync(path.join(tmpdir(), prefix));
      roots.push(d);
      return d;
    },
    cleanup: () => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })),
  };
}

/** What was written to stdout while capturing: every write, and the console sink's batches by id. */
export interface StdoutCapture {
  readonly writes: string[];
  /** The console sink's text of batch `id` (the table after the `Batch: id` banner), or undefined. */
  batch(id: number): string | undefined;
  /** Ids of the batches the console sink printed, in order. */
  batchIds(): number[];
  restore(): void;
}

const BANNER = /^-{43}\nBatch: (\d+)\n-{43}\n/;

export function captureStdout(): StdoutCapture {
  const writes: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    writes.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  const batches = (): Array<[number, string]> =>
    writes.flatMap((w) => {
      const m = BANNER.exec(w);
      return m ? [[Number(m[1]), w.slice(m[0].length)] as [number, string]] : [];
    });
  return {
    writes,
    batch: (id) => batches().find(([b]) => b === id)?.[1],
    batchIds: () => batches().map(([b]) => b),
    restore: () => {
      process.stdout.write = original;
    },
  };
}

/**
 * The hooks every seed file shares: `start` (the file's own ported `SparkSession` line, which assigns its
 * session) before all tests, stdout captured around each test (handed to `capture`), and after all tests the
 * session stopped and `dirs` removed.
 */
export function seedHooks(hooks: {
  readonly dirs: { cleanup(): void };
  readonly start: () => { stop(): Promise<void> };
  readonly capture: (out: StdoutCapture) => void;
}): void {
  let session: { stop(): Promise<void> } | undefined;
  let current: StdoutCapture | undefined;
  beforeAll(() => {
    session = hooks.start();
  });
  beforeEach(() => {
    current = captureStdout();
    hooks.capture(current);
  });
  afterEach(() => current?.restore());
  afterAll(async () => {
    await session?.stop();
    hooks.dirs.cleanup();
  });
}

/** Polls `done` every 10 ms (running `step` first) until it holds, failing after `timeoutMs`. */
export async function waitFor(done: () => boolean | Promise<boolean>, step: () => unknown = () => undefined, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await step();
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Spark's `show()` table text from lines, for readable expectations. */
export function table(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** The header and body cells (trimmed) of a `show()` table. */
export function parseTable(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  const cells = (l: string) => l.slice(1, -1).split('|').map((c) => c.trim());
  return { header: lines.length > 0 ? cells(lines[0]!) : [], rows: lines.slice(1).map(cells) };
}

/** Body rows of a `show()` table as sorted strings `a|b|c` (Spark gives no row order without ORDER BY). */
export function tableSet(text: string | undefined): string[] {
  if (text === undefined) throw new Error('no such batch was printed');
  return parseTable(text).rows.map((r) => r.join('|')).sort();
}

/**
 * Body rows of a `show()` table as objects keyed by the header, sorted (no row order without ORDER BY). Cells of
 * `numeric` columns become numbers: the console sink gets no column types, so it prints a whole DOUBLE as `500`
 * where Spark prints `500.0` (see README.md); the value is compared, not its text.
 */
export function tableObjects(text: string | undefined, numeric: readonly string[] = []): Array<Record<string, string | number>> {
  if (text === undefined) throw new Error('no such batch was printed');
  const { header, rows } = parseTable(text);
  return rows
    .map((r) => Object.fromEntries(header.map((h, i) => [h, numeric.includes(h) ? Number(r[i]) : r[i]!])))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
