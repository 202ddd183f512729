// kafkajs's own code → error mapping (an internal module without types).
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as { createErrorFromCode(code: number): { type: string } };
import { retryTransient, TRANSIENT_RETRY_MS } from '../../../../connectors/kafka/client/retryTransient';

const answer = (type: string) => Object.assign(new Error(type), { type });

describe('retryTransient', () => {
  it('retries a coordinator that is still loading until it answers', async () => {
    let calls = 0;
    const result = await retryTransient(async () => {
      calls += 1;
      if (calls < 4) throw answer('GROUP_LOAD_IN_PROGRESS');
      return 'offsets';
    });
    expect([result, calls]).toEqual(['offsets', 4]);
  });

  it('also reads the type of a wrapped error (kafkajs retries exhausted)', async () => {
    let calls = 0;
    await retryTransient(async () => {
      calls += 1;
      if (calls < 2) throw Object.assign(new Error('retries exhausted'), { originalError: answer('NOT_COORDINATOR_FOR_GROUP') });
    });
    expect(calls).toBe(2);
  });

  it("names the transient answers as kafkajs types them (Kafka's error codes 3, 5, 6, 7, 14, 15, 16)", () => {
    const types = [3, 5, 6, 7, 14, 15, 16].map((code) => createErrorFromCode(code).type);
    expect([...TRANSIENT_RETRY_MS.keys()].sort()).toEqual([...types].sort());
  });

  it('throws other errors at once', async () => {
    let calls = 0;
    await expect(
      retryTransient(async () => {
        calls += 1;
        throw answer('TOPIC_AUTHORIZATION_FAILED');
      }),
    ).rejects.toThrow('TOPIC_AUTHORIZATION_FAILED');
    expect(calls).toBe(1);
  });
});
