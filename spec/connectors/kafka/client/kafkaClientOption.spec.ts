/** The `client` option of the Kafka source and sink: split off before anything prints options, checked, owned or not. */
import type { KafkaClient, KafkaClientConfig } from '../../../../connectors/kafka/client/KafkaClient';
import { isKafkaClient, openKafkaClient, splitClientOption } from '../../../../connectors/kafka/client/kafkaClientOption';
import { MemoryKafkaClient } from '../../../../connectors/kafka/client/MemoryKafkaClient';
import { expectWeirError } from '../../../support/expectWeirError';

const config: KafkaClientConfig = { brokers: ['h:1'] };

describe('the Kafka client option', () => {
  it('is split off the options (any case), leaving the others untouched', () => {
    const client = new MemoryKafkaClient();
    expect(splitClientOption({ Client: client, subscribe: 't', 'kafka.client.id': 'x' }, 'kafka source')).toEqual({
      raw: { subscribe: 't', 'kafka.client.id': 'x' },
      client,
    });
    expect(splitClientOption({ subscribe: 't', client: undefined }, 'kafka source')).toEqual({ raw: { subscribe: 't' }, client: undefined });
    const factory = (): KafkaClient => client;
    expect(splitClientOption({ client: factory }, 'kafka sink').client).toBe(factory);
  });

  it('refuses anything but a client or a function, naming the option and not the value', async () => {
    for (const bad of ['my-client', 42, { listTopics: () => [] }, null]) {
      const e = await expectWeirError(() => splitClientOption({ client: bad }, 'kafka sink'), 'INVALID_ARGUMENT');
      expect(e.context).toEqual({ option: 'client', sink: 'kafka sink' });
      expect(e.message).not.toContain('my-client');
    }
    expect(isKafkaClient(new MemoryKafkaClient())).toBe(true);
    expect(isKafkaClient({})).toBe(false);
  });

  it('opens: an object is not owned; a factory gets the config and its client is owned; absent = kafkajs, owned', async () => {
    const client = new MemoryKafkaClient();
    expect(openKafkaClient(client, config, 'kafka source')).toEqual({ client, owned: false });
    const seen: KafkaClientConfig[] = [];
    expect(
      openKafkaClient(
        (c) => {
          seen.push(c);
          return client;
        },
        config,
        'kafka source',
      ),
    ).toEqual({ client, owned: true });
    expect(seen).toEqual([config]);
    await expectWeirError(() => openKafkaClient((() => 'nope') as unknown as () => KafkaClient, config, 'kafka source'), 'INVALID_ARGUMENT');
    // The default: a kafkajs client (loaded now, not connected until used).
    const dflt = openKafkaClient(undefined, config, 'kafka source');
    expect(dflt.owned).toBe(true);
    expect(isKafkaClient(dflt.client)).toBe(true);
    expect(dflt.client).not.toBeInstanceOf(MemoryKafkaClient);
    await dflt.client.close();
  });
});
