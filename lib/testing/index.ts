/**
 * `weir-streams/testing`: the StreamTest DSL, a manual clock, and fast-check arbitraries for property tests of
 * streaming logic.
 */
export {
  testStream,
  AddData,
  CheckAnswer,
  CheckLastBatch,
  CheckNewAnswer,
  StopStream,
  StartStream,
  AssertOnQuery,
  Execute,
  AdvanceManualClock,
  ExpectFailure,
  sameRows,
} from './StreamTest';
export type { StreamAction, StreamTestQuery, StreamTestState, AddableSource } from './StreamTest';
export { ManualClock } from '../time/ManualClock';
export { OperatorHarness } from './OperatorHarness';
export { untilBatch } from './untilBatch';
export type { HarnessSnapshot, OperatorHarnessOptions } from './OperatorHarness';
