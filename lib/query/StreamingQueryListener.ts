/**
 * Listener events with Spark's field names (QueryStartedEvent, QueryProgressEvent, QueryIdleEvent,
 * QueryTerminatedEvent).
 *
 * Invariant: events are plain immutable values; `onQueryStarted` is delivered synchronously inside `start()`,
 * every other event asynchronously and in the order the query produced them.
 */
import type { StreamingQueryProgress } from '../engine/StreamingQueryProgress';

export interface QueryStartedEvent {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  /** ISO-8601 UTC. */
  readonly timestamp: string;
}

export interface QueryProgressEvent {
  readonly progress: StreamingQueryProgress;
}

export interface QueryIdleEvent {
  readonly id: string;
  readonly runId: string;
  readonly timestamp: string;
}

export interface QueryTerminatedEvent {
  readonly id: string;
  readonly runId: string;
  /** The failure's message and stack, or null when the query stopped normally. */
  readonly exception: string | null;
  /** The weir error `code` of the failure (Spark's errorClassOnException), or null. */
  readonly errorClassOnException: string | null;
}

/** Spark's StreamingQueryListener: every callback optional. */
export interface StreamingQueryListener {
  onQueryStarted?(event: QueryStartedEvent): unknown;
  onQueryProgress?(event: QueryProgressEvent): unknown;
  onQueryIdle?(event: QueryIdleEvent): unknown;
  onQueryTerminated?(event: QueryTerminatedEvent): unknown;
}

export type { StreamingQueryStatus } from '../engine/StreamingQueryProgress';
