/**
 * `session.read.format("kafka")`: a batch DataFrame of the records between the starting and ending offsets
 * (Spark's KafkaRelation).
 *
 * Invariants: the options are the streaming source's; as in Spark's batch read, `startingOffsets` defaults to
 * `earliest` and `endingOffsets` to `latest`, a starting offset may not be `latest` and an ending offset may not
 * be `earliest` (Spark's messages, `INVALID_ARGUMENT`); the options are checked at `load()`, the records are read
 * by each action (from the offsets resolved then), through the streaming source read once.
 */
import type { BatchRelation } from '../../lib/connector/DataSourceProvider';
import type { CaseInsensitiveStringMap } from '../../lib/connector/CaseInsensitiveStringMap';
import { readSourceOnce } from '../../lib/engine/readSourceOnce';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { toSchema } from '../../lib/values/types';
import { kafkaSourceFromOptions } from './source';

const LATEST = -1;
const EARLIEST = -2;

function invalid(message: string, option: string): WeirError {
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, message, { context: { option } });
}


/** Per-partition offsets of a JSON offsets option (`{"topic":{"0":23}}`); undefined for a keyword. */
function partitionOffsets(value: string): Array<[string, number]> | undefined {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{')) return undefined;
  const out: Array<[string, number]> = [];
  try {
    for (const [topic, partitions] of Object.entries(JSON.parse(trimmed) as Record<string, Record<string, number>>)) {
      for (const [p, offset] of Object.entries(partitions)) out.push([`${topic}-${p}`, offset]);
    }
  } catch {
    return undefined; // the source's own parser reports malformed JSON
  }
  return out;
}

/** Spark's validateBatchOptions for the offsets. */
function checkBatchOffsets(options: CaseInsensitiveStringMap): void {
  const starting = options.get('startingOffsets');
  if (starting !== undefined) {
    if (starting.trim().toLowerCase() === 'latest') throw invalid("starting offset can't be latest for batch queries on Kafka", 'startingOffsets');
    for (const [tp, offset] of partitionOffsets(starting) ?? []) {
      if (offset === LATEST) throw invalid(`startingOffsets for ${tp} can't be latest for batch queries on Kafka`, 'startingOffsets');
    }
  }
  const ending = options.get('endingOffsets');
  if (ending !== undefined) {
    if (ending.trim().toLowerCase() === 'earliest') throw invalid("ending offset can't be earliest for batch queries on Kafka", 'endingOffsets');
    for (const [tp, offset] of partitionOffsets(ending) ?? []) {
      if (offset === EARLIEST) throw invalid(`ending offset for ${tp} can't be earliest for batch queries on Kafka`, 'endingOffsets');
    }
  }
}

/**
 * The relation of a batch Kafka read.
 *
 * @throws WeirError `INVALID_ARGUMENT` (Spark's batch offset rules, or any option the source rejects),
 * `MISSING_OPTION` (no subscribe/subscribePattern/assign or no bootstrap servers).
 */
export function kafkaRelation(options: CaseInsensitiveStringMap): BatchRelation {
  checkBatchOffsets(options);
  const withDefaults = options.asMap();
  if (!options.has('startingOffsets') && !options.has('startingOffsetsByTimestamp') && !options.has('startingTimestamp')) {
    withDefaults.set('startingOffsets', 'earliest');
  }
  // Built now so that a bad option fails at load(), as in Spark; each action reads through a fresh source.
  const { schema } = kafkaSourceFromOptions(withDefaults);
  return {
    rows: () => readSourceOnce(kafkaSourceFromOptions(withDefaults).source),
    schema: toSchema(schema),
    name: 'kafka',
  };
}
