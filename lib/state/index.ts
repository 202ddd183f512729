/**
 * State stores: versioned key-value state of stateful operators, committed per micro-batch.
 *
 * Invariant: this index re-exports the public surface of lib/state and nothing else.
 */
export { compareKeys, decodeKey, encodeKey, keyRange, prefixUpperBound, type KeyPart } from './keyEncoding';
export { MemoryStateStorage } from './MemoryStateStorage';
export { MemoryStateStore } from './MemoryStateStore';
export { MemoryStateStoreProvider, type MemoryStateStoreProviderOptions } from './MemoryStateStoreProvider';
export { LevelStateStore } from './LevelStateStore';
export { LevelStateStoreProvider, type LevelStateStoreProviderOptions } from './LevelStateStoreProvider';
