/**
 * The default Kafka client of the Kafka source and sink, loaded on first use: kafkajs (about 140 modules) is
 * required only when a Kafka source or sink opens, so an app that never touches Kafka never loads it.
 */
import type { KafkaClient, KafkaClientConfig } from './KafkaClient';
import type * as KafkajsClientModule from './KafkajsClient';

export function createKafkajsClient(config: KafkaClientConfig): KafkaClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
  const { kafkajsClient } = require('./KafkajsClient') as typeof KafkajsClientModule;
  return kafkajsClient(config);
}
