/** The KafkaClient contract suite on the real broker, for the kafkajs client (MemoryKafkaClient runs it in spec/connectors/kafka/client). */
import { describeKafkaClientContract } from '../connectors/kafka/client/kafkaClientContract';
import { testClient, uniqueTopic } from './support/kafka';

describeKafkaClientContract('kafkajs client on a real broker', () => ({ client: testClient(), topic: (prefix) => uniqueTopic(prefix) }));
