/** Jest globalTeardown of the `kafka` project: stops the broker globalSetup started (not an external cluster). */
import type { KafkaBroker } from '../../../tools/kafka/broker';

export default async function globalTeardown(): Promise<void> {
  const broker = (globalThis as { __WEIR_KAFKA_BROKER__?: KafkaBroker }).__WEIR_KAFKA_BROKER__;
  if (!broker) return;
  (globalThis as { __WEIR_KAFKA_BROKER__?: KafkaBroker }).__WEIR_KAFKA_BROKER__ = undefined;
  delete process.env.KAFKA_BROKERS;
  delete process.env.KAFKA_SSL_BROKERS;
  delete process.env.KAFKA_TLS_FILES;
  await broker.stop();
}
