/**
 * Jest globalSetup of the `kafka` project: starts a real single-node Kafka broker (or uses `KAFKA_BROKERS`) and
 * hands its address to the test workers through `process.env.KAFKA_BROKERS` (and its SSL listener's through
 * `KAFKA_SSL_BROKERS`, with the PEM files' paths as JSON in `KAFKA_TLS_FILES`, and its SASL/PLAIN listener's
 * through `KAFKA_SASL_BROKERS`). Missing JDK or Maven fails the run
 * with a message saying so.
 */
import { startKafkaBroker, type KafkaBroker } from '../../../tools/kafka/broker';

declare global {
  var __WEIR_KAFKA_BROKER__: KafkaBroker | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.KAFKA_BROKERS) return;
  const t0 = Date.now();
  const broker = await startKafkaBroker();
  globalThis.__WEIR_KAFKA_BROKER__ = broker;
  process.env.KAFKA_BROKERS = broker.brokers;
  process.env.KAFKA_SSL_BROKERS = broker.sslBrokers;
  process.env.KAFKA_TLS_FILES = JSON.stringify(broker.tls);
  process.env.KAFKA_SASL_BROKERS = broker.saslBrokers;
  process.env.WEIR_KAFKA_STARTED_BY_JEST = '1';
  process.stderr.write(`\n[kafka] broker ${broker.brokers} started in ${Date.now() - t0} ms\n`);
}
