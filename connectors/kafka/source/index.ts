/** The Kafka source (`format("kafka")`). */
export { kafka, kafkaSourceFromOptions } from './KafkaSource';
export { rateLimit } from './admission';
export { CUSTOM_GROUP_ID_WARNING } from './options';
export { KAFKA_SOURCE_SCHEMA_DDL, KAFKA_SOURCE_SCHEMA_WITH_HEADERS_DDL } from './schema';
export type { KafkaRow } from './schema';
export type { KafkaSourceOptions } from './options';
export type { KafkaSourceOffset } from './offsets';
export { offsetRanges } from './offsetRanges';
export type { KafkaOffsetRange } from './offsetRanges';
export type { KafkaClient, KafkaClientConfig } from '../client/KafkaClient';
export type { KafkaClientOption } from '../client/kafkaClientOption';
