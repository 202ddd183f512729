/** The Kafka sink (`format("kafka")`). */
export { kafkaSink, kafkaSinkFromOptions, KafkaSink } from './KafkaSink';
export type { KafkaSinkOptions, KafkaSinkHooks, KafkaSinkStep } from './KafkaSink';
export type { KafkaClient, KafkaClientConfig } from '../client/KafkaClient';
export type { KafkaClientOption } from '../client/kafkaClientOption';
