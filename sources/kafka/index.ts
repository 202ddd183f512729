/** The Kafka source (`format("kafka")`). */
export {
  kafka,
  kafkaSourceFromOptions,
  rateLimit,
  KAFKA_SOURCE_SCHEMA_DDL,
  KAFKA_SOURCE_SCHEMA_WITH_HEADERS_DDL,
} from './KafkaSource';
export type { KafkaRow, KafkaSourceOffset, KafkaSourceOptions } from './KafkaSource';
