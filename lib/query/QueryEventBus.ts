/**
 * Delivers listener events (Spark's StreamingQueryListenerBus).
 *
 * Invariant: asynchronous events reach each listener one at a time, in posting order; a listener that throws
 * is logged and never affects the query or other listeners.
 */
import type {
  QueryIdleEvent,
  QueryProgressEvent,
  QueryStartedEvent,
  QueryTerminatedEvent,
  StreamingQueryListener,
} from './StreamingQueryListener';

interface EventMap {
  onQueryStarted: QueryStartedEvent;
  onQueryProgress: QueryProgressEvent;
  onQueryIdle: QueryIdleEvent;
  onQueryTerminated: QueryTerminatedEvent;
}

/** The listener registry and delivery queue of one StreamingQueryManager. */
export class QueryEventBus {
  private readonly listeners: StreamingQueryListener[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly logger: { warn(message: string): void }) {}

  add(listener: StreamingQueryListener): void {
    this.listeners.push(listener);
  }

  remove(listener: StreamingQueryListener): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  list(): StreamingQueryListener[] {
    return [...this.listeners];
  }

  /** Delivers now, on the caller's stack (onQueryStarted). */
  postSync<K extends keyof EventMap>(kind: K, event: EventMap[K]): void {
    for (const l of [...this.listeners]) {
      try {
        const f = l[kind] as ((e: EventMap[K]) => unknown) | undefined;
        f?.call(l, event);
      } catch (e) {
        this.logger.warn(`Listener ${kind} threw: ${(e as Error)?.message ?? String(e)}`);
      }
    }
  }

  /** Queues delivery after every event posted before it. */
  post<K extends keyof EventMap>(kind: K, event: EventMap[K]): void {
    const targets = [...this.listeners];
    this.queue = this.queue.then(async () => {
      for (const l of targets) {
        try {
          const f = l[kind] as ((e: EventMap[K]) => unknown) | undefined;
          await f?.call(l, event);
        } catch (e) {
          this.logger.warn(`Listener ${kind} threw: ${(e as Error)?.message ?? String(e)}`);
        }
      }
    });
  }

  /** Resolves when every event posted so far was delivered. */
  drain(): Promise<void> {
    return this.queue;
  }
}
