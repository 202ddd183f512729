/**
 * The stateful operators of a checkpoint and their state schemas, recorded at the first batch and checked on
 * every restart (Spark's OperatorStateMetadata, `state/<op>/_metadata/metadata`, and its state schema
 * compatibility check, `state/<op>/_metadata/schema`).
 *
 *     state/_metadata/<N>     v1
 *                             {"operators":[{"operatorId":"aggregate-0","operatorName":"stateStoreSave",
 *                               "keySchema":[{"name":"key"}],"valueSchema":[{"name":"count","type":"count(1)"}]}]}
 *                             crc32:...
 *
 * `<N>` is the batch that wrote the record: batch 0 for a new checkpoint, the first batch of the run for a
 * checkpoint written before weir kept the record (such a checkpoint is accepted as it is, and gets a record).
 *
 * Invariants:
 * - In the first batch of a run on a recorded checkpoint, every operator that registers is compared with the
 *   record as it registers, before it opens its state: an operator id the record lacks, another operator name,
 *   another key schema or another value schema fails the batch before any state is read or output written.
 *   After the batch's operators ran, an operator the record has and the batch lacks fails it too (a stateless
 *   query on a stateful checkpoint, or a removed operator).
 * - A field's type is compared only when both the record and the operator know it.
 */
import type { CheckpointStore, StatefulOperatorHandle, StateSchemaDescription, StateSchemaField } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import type { LogCodec } from '../checkpoint/FileStatus';
import { parseJsonObject, stringField } from '../checkpoint/jsonLine';
import { STATE_DIR } from '../checkpoint/layout';
import { MetadataLog } from '../checkpoint/MetadataLog';

/** The folder of the record, relative to the checkpoint root. */
export const OPERATOR_METADATA_DIR = `${STATE_DIR}/_metadata`;

/** One stateful operator as recorded. */
export interface OperatorStateRecord {
  readonly operatorId: string;
  readonly operatorName: string;
  /** Absent when the operator did not describe its state. */
  readonly stateSchema?: StateSchemaDescription;
}

/** The record: the stateful operators of the query, in the order they registered. */
export interface OperatorStateMetadata {
  readonly operators: readonly OperatorStateRecord[];
}

function fieldsOf(value: unknown, what: string): StateSchemaField[] {
  if (!Array.isArray(value)) throw new Error(`${what} must be an array`);
  return value.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new Error(`${what}[${i}] must be an object`);
    const object = item as Record<string, unknown>;
    const name = Object.hasOwn(object, 'name') ? object.name : undefined;
    if (typeof name !== 'string') throw new Error(`${what}[${i}].name must be a string`);
    if (!Object.hasOwn(object, 'type')) return { name };
    const type = object.type;
    if (typeof type !== 'string') throw new Error(`${what}[${i}].type must be a string`);
    return { name, type };
  });
}

/** Encodes/decodes {@link OperatorStateMetadata} as one JSON line. */
export const operatorStateMetadataCodec: LogCodec<OperatorStateMetadata> = {
  version: 1,
  encode(value) {
    return [
      JSON.stringify({
        operators: value.operators.map((op) => ({
          operatorId: op.operatorId,
          operatorName: op.operatorName,
          ...(op.stateSchema === undefined
            ? {}
            : { keySchema: op.stateSchema.keySchema.map(copyField), valueSchema: op.stateSchema.valueSchema.map(copyField) }),
        })),
      }),
    ];
  },
  decode(lines) {
    if (lines.length !== 1) throw new Error(`an operator metadata entry has one line, found ${lines.length}`);
    const object = parseJsonObject(lines[0], 'operator metadata');
    const operators = Object.hasOwn(object, 'operators') ? object.operators : undefined;
    if (!Array.isArray(operators)) throw new Error('operator metadata.operators must be an array');
    return {
      operators: operators.map((item, i) => {
        const what = `operator metadata.operators[${i}]`;
        const op = parseJsonObject(JSON.stringify(item), what);
        const operatorId = stringField(op, 'operatorId', what);
        const operatorName = stringField(op, 'operatorName', what);
        if (!Object.hasOwn(op, 'keySchema') && !Object.hasOwn(op, 'valueSchema')) return { operatorId, operatorName };
        return {
          operatorId,
          operatorName,
          stateSchema: { keySchema: fieldsOf(op.keySchema, `${what}.keySchema`), valueSchema: fieldsOf(op.valueSchema, `${what}.valueSchema`) },
        };
      }),
    };
  },
};

function copyField(field: StateSchemaField): StateSchemaField {
  return field.type === undefined ? { name: field.name } : { name: field.name, type: field.type };
}

/** The record of the operators that registered in a batch. */
export function describeStatefulOperators(handles: Iterable<StatefulOperatorHandle>): OperatorStateMetadata {
  const operators: OperatorStateRecord[] = [];
  for (const h of handles) {
    operators.push(
      h.stateSchema === undefined
        ? { operatorId: h.operatorId, operatorName: h.operatorName }
        : { operatorId: h.operatorId, operatorName: h.operatorName, stateSchema: h.stateSchema },
    );
  }
  return { operators };
}

/** Spark's rendering of a schema, `struct<name:type,...>` (a field of unknown type as its name alone). */
export function formatStateSchema(fields: readonly StateSchemaField[]): string {
  return `struct<${fields.map((f) => (f.type === undefined ? f.name : `${f.name}:${f.type}`)).join(',')}>`;
}

function sameFields(stored: readonly StateSchemaField[], provided: readonly StateSchemaField[]): boolean {
  if (stored.length !== provided.length) return false;
  return stored.every((s, i) => {
    const p = provided[i]!;
    return s.name === p.name && (s.type === undefined || p.type === undefined || s.type === p.type);
  });
}

const NEW_CHECKPOINT_HINT =
  'The checkpoint holds the state of the query as it was when it was recorded; its state cannot be read by the changed query. ' +
  'Restart the query as it was, or start the changed query on a new checkpoint location (and, for a file sink, a new output folder).';

function operatorList(operators: readonly { operatorId: string; operatorName: string }[]): string {
  return operators.map((op) => `(OperatorId: ${op.operatorId} -> OperatorName: ${op.operatorName})`).join(', ');
}

/**
 * Reads, checks and writes the record of one checkpoint. The engine makes one per run: {@link expected} is the
 * record to compare the first batch with (undefined once the first batch passed, or when there is no record),
 * {@link afterOperators} finishes the first batch's check and writes the record the checkpoint lacks.
 */
export class OperatorStateMetadataCheck {
  private recorded: OperatorStateMetadata | undefined;
  private done = false;

  private constructor(
    private readonly log: MetadataLog<OperatorStateMetadata>,
    recorded: OperatorStateMetadata | undefined,
  ) {
    this.recorded = recorded;
  }

  /** Reads the newest record of the checkpoint behind `store` (CHECKPOINT_CORRUPT when it is damaged). */
  static async load(store: CheckpointStore): Promise<OperatorStateMetadataCheck> {
    const log = new MetadataLog(store, OPERATOR_METADATA_DIR, operatorStateMetadataCodec);
    return new OperatorStateMetadataCheck(log, (await log.getLatest())?.value);
  }

  /** The record the current batch's operators must match as they register; undefined when nothing is checked. */
  get expected(): OperatorStateMetadata | undefined {
    return this.done ? undefined : this.recorded;
  }

  /** The absolute path of the record's folder (for messages). */
  private get where(): string {
    return this.log.store.root === '' ? this.log.dir : `${this.log.store.root}/${this.log.dir}`;
  }

  /**
   * The first batch's operators ran (`handles` registered): fails when an operator of the record is missing or
   * the set differs, writes the record when the checkpoint has none. Later batches: nothing.
   */
  async afterOperators(handles: Iterable<StatefulOperatorHandle>, batchId: number): Promise<void> {
    if (this.done) return;
    const current = describeStatefulOperators(handles);
    if (this.recorded === undefined) {
      await this.log.add(batchId, current);
      this.recorded = current;
    } else {
      checkOperatorSet(this.recorded, current, { batchId, path: this.where });
    }
    this.done = true;
  }

  /** Compares one operator with the record as it registers (see {@link checkRegisteredOperator}). */
  check(handle: StatefulOperatorHandle, batchId: number): void {
    const expected = this.expected;
    if (expected !== undefined) checkRegisteredOperator(expected, handle, { batchId, path: this.where });
  }
}

/** Fails unless `handle` is an operator of `recorded` with the same name and state schema. */
export function checkRegisteredOperator(
  recorded: OperatorStateMetadata,
  handle: StatefulOperatorHandle,
  context: { batchId: number; path: string },
): void {
  const stored = recorded.operators.find((op) => op.operatorId === handle.operatorId);
  if (stored === undefined || stored.operatorName !== handle.operatorName) {
    // The batch's other operators have not all registered yet: name this one beside the record.
    throw operatorsNotMatch(recorded.operators, [handle], context, handle.operatorId);
  }
  const provided = handle.stateSchema;
  if (stored.stateSchema === undefined || provided === undefined) return;
  const where = `Stateful operator ${handle.operatorId} (${handle.operatorName}) in the checkpoint's state metadata ${context.path}`;
  if (!sameFields(stored.stateSchema.keySchema, provided.keySchema)) {
    const storedKeySchema = formatStateSchema(stored.stateSchema.keySchema);
    const newKeySchema = formatStateSchema(provided.keySchema);
    throw new WeirError(
      ErrorCodes.STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE,
      `[STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE] Provided key schema does not match existing state key schema.\n` +
        `Please check number and type of fields.\n` +
        `Existing key_schema=${storedKeySchema} and new key_schema=${newKeySchema}. SQLSTATE: XXKST\n` +
        `${where}: the state key was ${storedKeySchema}, the query now keys it by ${newKeySchema}. ${NEW_CHECKPOINT_HINT}`,
      {
        context: {
          ...context,
          operatorId: handle.operatorId,
          operatorName: handle.operatorName,
          storedKeySchema,
          newKeySchema,
        },
      },
    );
  }
  if (!sameFields(stored.stateSchema.valueSchema, provided.valueSchema)) {
    const storedValueSchema = formatStateSchema(stored.stateSchema.valueSchema);
    const newValueSchema = formatStateSchema(provided.valueSchema);
    throw new WeirError(
      ErrorCodes.STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE,
      `[STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE] Provided value schema does not match existing state value schema.\n` +
        `Please check number and type of fields.\n` +
        `Existing value_schema=${storedValueSchema} and new value_schema=${newValueSchema}. SQLSTATE: XXKST\n` +
        `${where}: the state value was ${storedValueSchema}, the query now keeps ${newValueSchema}. ${NEW_CHECKPOINT_HINT}`,
      {
        context: {
          ...context,
          operatorId: handle.operatorId,
          operatorName: handle.operatorName,
          storedValueSchema,
          newValueSchema,
        },
      },
    );
  }
}

/** Fails unless `current` has exactly the operators (ids and names) of `recorded`. */
export function checkOperatorSet(
  recorded: OperatorStateMetadata,
  current: OperatorStateMetadata,
  context: { batchId: number; path: string },
): void {
  const key = (op: OperatorStateRecord) => `${op.operatorId}\u0000${op.operatorName}`;
  const a = recorded.operators.map(key).sort();
  const b = current.operators.map(key).sort();
  if (a.length === b.length && a.every((k, i) => k === b[i])) return;
  throw operatorsNotMatch(recorded.operators, current.operators, context, undefined);
}

function operatorsNotMatch(
  recorded: readonly OperatorStateRecord[],
  current: readonly { operatorId: string; operatorName: string }[],
  context: { batchId: number; path: string },
  operatorId: string | undefined,
): WeirError {
  const inMetadata = operatorList(recorded);
  const inBatch = operatorList(current);
  const what =
    recorded.length === 0
      ? 'The checkpoint was written by a query without stateful operators; the query now has one'
      : current.length === 0
        ? 'The checkpoint holds the state of stateful operators; the query now has none'
        : 'The query has other stateful operators than the checkpoint records';
  return new WeirError(
    ErrorCodes.STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA,
    `[STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA] Streaming stateful operator name does not match with the operator in state metadata. ` +
      `This likely to happen when user adds/removes/changes stateful operator of existing streaming query.\n` +
      `Stateful operators in the metadata: [${inMetadata}]; Stateful operators in current batch: [${inBatch}]. SQLSTATE: 42K03\n` +
      `${what} (state metadata ${context.path}). ${NEW_CHECKPOINT_HINT}`,
    {
      context: {
        ...context,
        ...(operatorId === undefined ? {} : { operatorId }),
        operatorsInMetadata: recorded.map((op) => `${op.operatorId}:${op.operatorName}`),
        operatorsInBatch: current.map((op) => `${op.operatorId}:${op.operatorName}`),
      },
    },
  );
}
