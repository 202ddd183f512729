/**
 * Progress objects with Spark's field names and JSON shape (StreamingQueryProgress and friends).
 *
 * Invariant: `json` prints keys in Spark's order, omits NaN/infinite numbers, empty maps and absent optional
 * fields, and sorts map keys, so a progress compares textually with Spark's.
 */
import type { JsonValue, StateOperatorProgressFields } from '../contracts';

/** Progress of one source in one batch. */
export interface SourceProgress {
  readonly description: string;
  readonly startOffset: JsonValue;
  readonly endOffset: JsonValue;
  readonly latestOffset: JsonValue;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
  readonly metrics: Readonly<Record<string, string>>;
}

/** Progress of the sink in one batch. */
export interface SinkProgress {
  readonly description: string;
  /** -1 when the sink cannot tell. */
  readonly numOutputRows: number;
  readonly metrics: Readonly<Record<string, string>>;
}

/** Progress of one stateful operator in one batch. */
export type StateOperatorProgress = Readonly<StateOperatorProgressFields>;

/** Spark's `durationMs` keys. */
export interface DurationMs {
  addBatch?: number;
  commitOffsets?: number;
  getBatch?: number;
  latestOffset?: number;
  queryPlanning?: number;
  triggerExecution: number;
  walCommit?: number;
  [key: string]: number | undefined;
}

/** Fields of a progress update. */
export interface StreamingQueryProgressFields {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  /** Trigger start, ISO-8601 UTC with milliseconds. */
  readonly timestamp: string;
  readonly batchId: number;
  readonly batchDuration: number;
  readonly durationMs: Readonly<DurationMs>;
  /** `avg`, `max`, `min`, `watermark` as ISO-8601 strings (Spark's format); empty when no watermark. */
  readonly eventTime: Readonly<Record<string, string>>;
  readonly stateOperators: readonly StateOperatorProgress[];
  readonly sources: readonly SourceProgress[];
  readonly sink: SinkProgress;
  readonly observedMetrics?: Readonly<Record<string, JsonValue>>;
}

/** Formats epoch ms as Spark's progress timestamps: `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`. */
export function formatProgressTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

function finite(n: number): number | undefined {
  return Number.isFinite(n) ? n : undefined;
}

function sortedMap<V>(map: Readonly<Record<string, V>> | undefined, f: (v: V) => JsonValue): JsonValue | undefined {
  if (map === undefined) return undefined;
  const keys = Object.keys(map)
    .filter((k) => map[k] !== undefined)
    .sort();
  if (keys.length === 0) return undefined;
  const out: Record<string, JsonValue> = {};
  for (const k of keys) out[k] = f(map[k] as V);
  return out;
}

function stripUndefined(o: Record<string, JsonValue | undefined>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** json4s-style pretty printing (`"key" : value`, two-space indent), as Spark's `prettyJson`. */
export function prettyJson(value: JsonValue, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v) => prettyJson(v, inner)).join(', ')} ]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{ }';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${prettyJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

function sourceJson(s: SourceProgress): JsonValue {
  return stripUndefined({
    description: s.description,
    startOffset: s.startOffset,
    endOffset: s.endOffset,
    latestOffset: s.latestOffset,
    numInputRows: s.numInputRows,
    inputRowsPerSecond: finite(s.inputRowsPerSecond),
    processedRowsPerSecond: finite(s.processedRowsPerSecond),
    metrics: sortedMap(s.metrics, (v) => v),
  });
}

function stateOperatorJson(s: StateOperatorProgress): JsonValue {
  return stripUndefined({
    operatorName: s.operatorName,
    numRowsTotal: s.numRowsTotal,
    numRowsUpdated: s.numRowsUpdated,
    allUpdatesTimeMs: s.allUpdatesTimeMs,
    numRowsRemoved: s.numRowsRemoved,
    allRemovalsTimeMs: s.allRemovalsTimeMs,
    commitTimeMs: s.commitTimeMs,
    memoryUsedBytes: s.memoryUsedBytes,
    numRowsDroppedByWatermark: s.numRowsDroppedByWatermark,
    numShufflePartitions: s.numShufflePartitions,
    numStateStoreInstances: s.numStateStoreInstances,
    customMetrics: sortedMap(s.customMetrics, (v) => v),
  });
}

/** One progress update (Spark's StreamingQueryProgress). */
export class StreamingQueryProgress implements StreamingQueryProgressFields {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  readonly timestamp: string;
  readonly batchId: number;
  readonly batchDuration: number;
  readonly durationMs: Readonly<DurationMs>;
  readonly eventTime: Readonly<Record<string, string>>;
  readonly stateOperators: readonly StateOperatorProgress[];
  readonly sources: readonly SourceProgress[];
  readonly sink: SinkProgress;
  readonly observedMetrics?: Readonly<Record<string, JsonValue>>;

  constructor(fields: StreamingQueryProgressFields) {
    this.id = fields.id;
    this.runId = fields.runId;
    this.name = fields.name;
    this.timestamp = fields.timestamp;
    this.batchId = fields.batchId;
    this.batchDuration = fields.batchDuration;
    this.durationMs = Object.freeze({ ...fields.durationMs });
    this.eventTime = Object.freeze({ ...fields.eventTime });
    this.stateOperators = Object.freeze([...fields.stateOperators]);
    this.sources = Object.freeze([...fields.sources]);
    this.sink = fields.sink;
    if (fields.observedMetrics !== undefined) this.observedMetrics = fields.observedMetrics;
  }

  /** Total input rows over all sources. */
  get numInputRows(): number {
    return this.sources.reduce((n, s) => n + s.numInputRows, 0);
  }

  /** Input rate over all sources (NaN when unknown). */
  get inputRowsPerSecond(): number {
    return this.sources.reduce((n, s) => n + s.inputRowsPerSecond, 0);
  }

  /** Processing rate over all sources (NaN when unknown). */
  get processedRowsPerSecond(): number {
    return this.sources.reduce((n, s) => n + s.processedRowsPerSecond, 0);
  }

  /** The JSON value, keys in Spark's order. */
  toJSON(): JsonValue {
    return stripUndefined({
      id: this.id,
      runId: this.runId,
      name: this.name,
      timestamp: this.timestamp,
      batchId: this.batchId,
      batchDuration: this.batchDuration,
      numInputRows: this.numInputRows,
      inputRowsPerSecond: finite(this.inputRowsPerSecond),
      processedRowsPerSecond: finite(this.processedRowsPerSecond),
      durationMs: sortedMap(this.durationMs as Record<string, number | undefined>, (v) => v as number),
      eventTime: sortedMap(this.eventTime, (v) => v),
      stateOperators: this.stateOperators.map(stateOperatorJson),
      sources: this.sources.map(sourceJson),
      sink: stripUndefined({
        description: this.sink.description,
        numOutputRows: this.sink.numOutputRows,
        metrics: sortedMap(this.sink.metrics, (v) => v),
      }),
      observedMetrics: sortedMap(this.observedMetrics, (v) => v),
    });
  }

  /** Compact JSON (Spark's `json`). */
  get json(): string {
    return JSON.stringify(this.toJSON());
  }

  /** Indented JSON (Spark's `prettyJson`). */
  get prettyJson(): string {
    return prettyJson(this.toJSON());
  }

  toString(): string {
    return this.prettyJson;
  }
}

/** `status` of a query (Spark's StreamingQueryStatus). */
export interface StreamingQueryStatus {
  readonly message: string;
  readonly isDataAvailable: boolean;
  readonly isTriggerActive: boolean;
}
