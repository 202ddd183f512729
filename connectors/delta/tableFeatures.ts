/**
 * Which Delta protocols and table features this weir reads and writes (PROTOCOL.md "Protocol Evolution",
 * "Table Features").
 *
 * Invariant: a table is read only when every reader requirement of its protocol is implemented here, and written
 * only when every writer requirement is; anything else is refused with the feature named
 * (DeltaUnsupportedTableFeatureException), never read or written wrong. New tables are reader 1 / writer 2.
 */
import type { MetadataAction, ProtocolAction } from './actions';
import { invalidProtocolVersion, unsupportedFeatures } from './deltaErrors';

/** The protocol of tables weir creates. */
export const DEFAULT_PROTOCOL: ProtocolAction = { minReaderVersion: 1, minWriterVersion: 2 };

/** Reader features (reader version 3) whose reads weir implements. */
export const SUPPORTED_READER_FEATURES: ReadonlySet<string> = new Set(['timestampNtz', 'vacuumProtocolCheck']);

/** Writer features (writer version 7) whose writes weir implements (appendOnly is enforced; see checkWrite). */
export const SUPPORTED_WRITER_FEATURES: ReadonlySet<string> = new Set(['appendOnly', 'invariants', 'timestampNtz', 'vacuumProtocolCheck']);

/** The legacy features each writer version (< 7) implies. */
const LEGACY_WRITER: Record<number, readonly string[]> = {
  1: [],
  2: ['appendOnly', 'invariants'],
  3: ['appendOnly', 'invariants', 'checkConstraints'],
  4: ['appendOnly', 'invariants', 'checkConstraints', 'changeDataFeed', 'generatedColumns'],
  5: ['appendOnly', 'invariants', 'checkConstraints', 'changeDataFeed', 'generatedColumns', 'columnMapping'],
  6: ['appendOnly', 'invariants', 'checkConstraints', 'changeDataFeed', 'generatedColumns', 'columnMapping', 'identityColumns'],
};

/**
 * Asserts weir can read a table of this protocol (and metadata: reader 2 is column mapping, readable only in
 * mode `none`).
 *
 * @throws WeirError SOURCE_ERROR (DeltaUnsupportedTableFeatureException / InvalidProtocolVersionException).
 */
export function checkRead(tablePath: string, p: ProtocolAction, m?: MetadataAction): void {
  const r = p.minReaderVersion;
  if (r === 1) return;
  if (r === 2) {
    const mode = m?.configuration['delta.columnMapping.mode'] ?? 'none';
    if (mode !== 'none') throw unsupportedFeatures(tablePath, 'read', [`columnMapping (mode ${mode})`]);
    return;
  }
  if (r === 3) {
    const unknown = (p.readerFeatures ?? []).filter((f) => !SUPPORTED_READER_FEATURES.has(f));
    if (unknown.length > 0) throw unsupportedFeatures(tablePath, 'read', unknown);
    return;
  }
  throw invalidProtocolVersion(tablePath, p.minReaderVersion, p.minWriterVersion);
}

/**
 * Asserts weir can write to a table of this protocol and metadata: the reader side first, then every writer
 * feature; `invariants` only while no column declares one, `appendOnly` only for writes that remove nothing.
 *
 * @throws WeirError SINK_ERROR (DeltaUnsupportedTableFeatureException) naming the features.
 */
export function checkWrite(tablePath: string, p: ProtocolAction, m: MetadataAction | undefined, removesFiles: boolean): void {
  checkRead(tablePath, p, m);
  const w = p.minWriterVersion;
  let features: readonly string[];
  if (w >= 1 && w <= 6) features = LEGACY_WRITER[w] as readonly string[];
  else if (w === 7) features = p.writerFeatures ?? [];
  else throw invalidProtocolVersion(tablePath, p.minReaderVersion, p.minWriterVersion);
  const active = (f: string): boolean => {
    // Legacy writer versions imply features that only bind when the table uses them.
    if (w === 7) return true;
    if (f === 'appendOnly' || f === 'invariants') return true;
    if (f === 'changeDataFeed') return m?.configuration['delta.enableChangeDataFeed'] === 'true';
    if (f === 'columnMapping') return (m?.configuration['delta.columnMapping.mode'] ?? 'none') !== 'none';
    if (f === 'checkConstraints') return Object.keys(m?.configuration ?? {}).some((k) => k.startsWith('delta.constraints.'));
    if (f === 'generatedColumns' || f === 'identityColumns') return (m?.schemaString ?? '').includes(f === 'generatedColumns' ? 'delta.generationExpression' : 'delta.identity');
    return true;
  };
  const unsupported = features.filter((f) => active(f) && !SUPPORTED_WRITER_FEATURES.has(f));
  if (features.includes('invariants') && (m?.schemaString ?? '').includes('delta.invariants')) unsupported.push('invariants (a column declares one)');
  if (removesFiles && features.includes('appendOnly') && m?.configuration['delta.appendOnly'] === 'true') {
    unsupported.push('appendOnly (the table is append-only: delta.appendOnly = true)');
  }
  if (unsupported.length > 0) throw unsupportedFeatures(tablePath, 'write', unsupported);
}
