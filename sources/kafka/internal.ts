/** Re-exports of the shared Kafka plumbing the source uses (kept in lib/kafka so the sink shares it). */
export {
  OptionReader,
  clientConfigFromOptions,
  isolationFromOptions,
  kafkaParams,
  optionsFromMap,
  redactOptions,
  redactText,
} from '../../lib/kafka/kafkaOptions';
export type { KafkaRawOptions } from '../../lib/kafka/kafkaOptions';
export type { KafkaClientConfig } from '../../lib/kafka/KafkaClient';
