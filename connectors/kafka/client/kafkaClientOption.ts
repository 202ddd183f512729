/**
 * The `client` option of the Kafka source and sink (a weir extension of Spark's options): the `KafkaClient` to
 * use, or a factory making one from the `kafka.*` settings. Absent = kafkajs, loaded on first use.
 *
 * Invariants:
 * - The option is taken out of the options before anything else reads them, so neither a client object nor a
 *   factory ever reaches descriptions, `explain()`, progress or error contexts (which print option values).
 * - A client made here (kafkajs or a factory's) is owned, and closed, by the source or sink that made it; a client
 *   object handed in is the caller's, and is never closed by them.
 */
import { ErrorCodes, WeirError } from '../../../lib/errors';
import type { KafkaClient, KafkaClientConfig } from './KafkaClient';
import { createKafkajsClient } from './createKafkajsClient';
import type { KafkaRawOptions } from './kafkaOptions';

/**
 * A Kafka client, or how to make one from the settings parsed from `kafka.*` options.
 *
 * @example
 * ```ts
 * const option: KafkaClientOption = (config) => kafkajsClient(config, { logLevel: logLevel.INFO });
 * ```
 */
export type KafkaClientOption = KafkaClient | ((config: KafkaClientConfig) => KafkaClient);

/** The option's name (matched case-insensitively, like Spark's option names). */
export const CLIENT_OPTION = 'client';

const CLIENT_METHODS = [
  'listTopics',
  'partitions',
  'earliestOffsets',
  'latestOffsets',
  'offsetsForTimestamp',
  'fetchRange',
  'createTopic',
  'createPartitions',
  'deleteTopic',
  'deleteRecords',
  'groupOffset',
  'producer',
  'close',
] as const;

/** True when `value` has every method of `KafkaClient`. */
export function isKafkaClient(value: unknown): value is KafkaClient {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return CLIENT_METHODS.every((m) => typeof v[m] === 'function');
}

function badClient(what: string, detail: string): WeirError {
  const role = what === 'kafka sink' ? 'sink' : 'source';
  // The value is not shown: it may be a client object, or text that was meant to be one.
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, `${what}: option '${CLIENT_OPTION}' ${detail}`, {
    context: { option: CLIENT_OPTION, [role]: what },
  });
}

/**
 * Splits the `client` option off `options`: the other options (what is parsed, kept and printed) and the
 * client option, checked. Throws INVALID_ARGUMENT for anything but a KafkaClient or a function (so a text value
 * given through the DataFrame face's string options is refused).
 */
export function splitClientOption(
  options: Readonly<Record<string, unknown>>,
  what: string,
): { raw: KafkaRawOptions; client: KafkaClientOption | undefined } {
  const raw: Record<string, unknown> = {};
  let client: KafkaClientOption | undefined;
  for (const [k, v] of Object.entries(options)) {
    if (k.toLowerCase() !== CLIENT_OPTION) {
      raw[k] = v;
      continue;
    }
    if (v === undefined) continue;
    if (typeof v === 'function') client = v as (config: KafkaClientConfig) => KafkaClient;
    else if (isKafkaClient(v)) client = v;
    else throw badClient(what, 'must be a KafkaClient object or a function (config) => KafkaClient');
  }
  return { raw: raw as KafkaRawOptions, client };
}

/**
 * The client of one source or sink run: the option's object (not owned), the factory's product or kafkajs (owned:
 * the caller closes it when the run ends).
 */
export function openKafkaClient(
  option: KafkaClientOption | undefined,
  config: KafkaClientConfig,
  what: string,
): { client: KafkaClient; owned: boolean } {
  if (option === undefined) return { client: createKafkajsClient(config), owned: true };
  if (typeof option !== 'function') return { client: option, owned: false };
  const made = option(config);
  if (!isKafkaClient(made)) throw badClient(what, 'is a function that did not return a KafkaClient');
  return { client: made, owned: true };
}
