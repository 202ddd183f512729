/**
 * Spark's `socket` source: lines of UTF-8 text read from a TCP server (for tests and demos).
 *
 * Invariant: every complete line (`\n`-terminated, a trailing `\r` removed) that arrives while the query runs
 * becomes one row `{ value }` (plus `timestamp`, the arrival time from the query's clock, with
 * `includeTimestamp`), in arrival order, tagged with increasing offsets. NOT fault tolerant, as in Spark: lines
 * buffered but not committed are lost on a crash and a restart does not replay them (it is a push source on
 * top of `fromObservable`).
 */
import { createConnection } from 'node:net';
import { Observable } from 'rxjs';
import type { Clock, Source, SourceContext } from '../../lib/contracts';
import { fromObservable } from '../observable/fromObservable';
import { invalidOption } from '../../lib/connector/invalidOption';
import { assertKnownOptions } from '../../lib/connector/assertKnownOptions';

export interface SocketSourceOptions {
  /** Default 'localhost'. */
  readonly host?: string;
  readonly port: number;
  /** Adds a `timestamp` column with the arrival time (Spark's includeTimestamp). Default false. */
  readonly includeTimestamp?: boolean;
}

/** A row of the socket source. */
export interface SocketRow {
  value: string;
  timestamp?: Date;
}

/**
 * Reads lines from `host:port`.
 *
 * @example
 * const lines = socket({ host: 'localhost', port: 9999 })   // e.g. a server started with `nc -lk 9999`
 */
export function socket(options: SocketSourceOptions): Source<SocketRow> {
  assertKnownOptions('socket', options, ['host', 'port', 'includeTimestamp']);
  const { host = 'localhost', port, includeTimestamp = false } = options;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw invalidOption('socket', 'port', port, 'must be an integer port number', "e.g. { host: 'localhost', port: 9999 }");
  }
  let clock: Clock | undefined;
  const lines$ = new Observable<SocketRow>((subscriber) => {
    const connection = createConnection({ host, port });
    connection.setEncoding('utf8');
    let pending = '';
    const emit = (line: string): void => {
      const value = line.endsWith('\r') ? line.slice(0, -1) : line;
      subscriber.next(includeTimestamp ? { value, timestamp: new Date(clock?.now() ?? Date.now()) } : { value });
    };
    connection.on('data', (chunk: string) => {
      pending += chunk;
      let i = pending.indexOf('\n');
      while (i >= 0) {
        emit(pending.slice(0, i));
        pending = pending.slice(i + 1);
        i = pending.indexOf('\n');
      }
    });
    connection.on('end', () => {
      if (pending.length > 0) emit(pending);
      subscriber.complete();
    });
    connection.on('error', (e) => subscriber.error(e));
    return () => connection.destroy();
  });
  const inner = fromObservable(lines$, { name: `socket ${host}:${port}` });
  return {
    description: `TextSocketV2[host: ${host}, port: ${port}]`,
    open: (context: SourceContext) => {
      clock = context.clock;
      return inner.open(context);
    },
    initialOffset: () => inner.initialOffset(),
    latestOffset: (start, limit) => inner.latestOffset(start, limit),
    read: (start, end) => inner.read(start, end),
    commit: (end) => inner.commit(end),
    stop: () => inner.stop(),
  };
}
