/** Helpers of the Kafka suite: the broker address, unique topic names, a client. */
import { randomBytes } from 'node:crypto';
import { kafkajsClient } from '../../../connectors/kafka/client/KafkajsClient';
import type { KafkaClient } from '../../../connectors/kafka/client/KafkaClient';

/** The broker address globalSetup started (or `KAFKA_BROKERS`); throws when there is none. */
export function brokers(): string {
  const b = process.env.KAFKA_BROKERS;
  if (!b) throw new Error('KAFKA_BROKERS is not set: run the Kafka suite through jest (project "kafka")');
  return b;
}

/** A topic name no other test uses. */
export function uniqueTopic(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A client of the test broker. */
export function testClient(): KafkaClient {
  return kafkajsClient({ brokers: brokers().split(',') });
}
