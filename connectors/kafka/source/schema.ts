/**
 * The rows of the Kafka source: Spark's Kafka schema (`KafkaRecordToRowConverter`), as a row type, as DDL, and
 * the conversion of a record to a row.
 *
 * Invariant: a row has exactly the schema's columns, in its order; `headers` only with `includeHeaders`.
 */
import type { KafkaRecord } from '../client/KafkaClient';

/** A row of the Kafka source (Spark's schema; `headers` only with `includeHeaders`). */
export interface KafkaRow {
  key: Buffer | null;
  value: Buffer | null;
  topic: string;
  partition: number;
  offset: number;
  timestamp: Date;
  timestampType: number;
  headers?: Array<{ key: string; value: Buffer | null }>;
}

/** Spark's schema of the Kafka source, as DDL. */
export const KAFKA_SOURCE_SCHEMA_DDL =
  'key BINARY, value BINARY, topic STRING, partition INT, offset BIGINT, timestamp TIMESTAMP, timestampType INT';
/** The same with `includeHeaders`. */
export const KAFKA_SOURCE_SCHEMA_WITH_HEADERS_DDL = `${KAFKA_SOURCE_SCHEMA_DDL}, headers ARRAY<STRUCT<key: STRING, value: BINARY>>`;

/**
 * The row of record `r`.
 *
 * @example
 * ```ts
 * toKafkaRow(record, false); // { key, value, topic, partition, offset, timestamp: Date, timestampType }
 * ```
 */
export function toKafkaRow(r: KafkaRecord, includeHeaders: boolean): KafkaRow {
  const row: KafkaRow = {
    key: r.key,
    value: r.value,
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    timestamp: new Date(r.timestamp),
    timestampType: r.timestampType,
  };
  if (includeHeaders) row.headers = r.headers.map((h) => ({ key: h.key, value: h.value }));
  return row;
}
