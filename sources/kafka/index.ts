/** The Kafka source (`format("kafka")`). */
export {
  kafka,
  kafkaSourceFromOptions,
  rateLimit,
  CUSTOM_GROUP_ID_WARNING,
  KAFKA_SOURCE_SCHEMA_DDL,
  KAFKA_SOURCE_SCHEMA_WITH_HEADERS_DDL,
} from './KafkaSource';
export type { KafkaRow, KafkaSourceOffset, KafkaSourceOptions } from './KafkaSource';
export { offsetRanges } from './offsetRanges';
export type { KafkaOffsetRange } from './offsetRanges';
export type { KafkaClient, KafkaClientConfig } from '../../lib/kafka/KafkaClient';
export type { KafkaClientOption } from '../../lib/kafka/kafkaClientOption';
