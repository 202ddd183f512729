/** The Kafka sink (`format("kafka")`). */
export { kafkaSink, kafkaSinkFromOptions, KafkaSink } from './KafkaSink';
export type { KafkaSinkOptions, KafkaSinkHooks, KafkaSinkStep } from './KafkaSink';
export type { KafkaClient, KafkaClientConfig } from '../../lib/kafka/KafkaClient';
export type { KafkaClientOption } from '../../lib/kafka/kafkaClientOption';
