/** The Kafka sink (`format("kafka")`). */
export { kafkaSink, kafkaSinkFromOptions, KafkaSink } from './KafkaSink';
export type { KafkaSinkOptions, KafkaSinkHooks, KafkaSinkStep } from './KafkaSink';
