/**
 * Triggers: when the next micro-batch runs (Spark's `Trigger`).
 *
 * Invariant: a Trigger is an immutable value; parsing a user's trigger spec either yields one of the four
 * kinds with a non-negative interval or throws INVALID_ARGUMENT.
 */
import { ErrorCodes, WeirError } from '../errors';
import { durationToMs } from '../util/interval';

export type Trigger =
  | { readonly kind: 'processingTime'; readonly intervalMs: number }
  | { readonly kind: 'once' }
  | { readonly kind: 'availableNow' }
  | { readonly kind: 'continuous'; readonly checkpointIntervalMs: number };

/** What `trigger(...)` accepts: a Trigger or PySpark's keyword form. */
export type TriggerSpec =
  | Trigger
  | { processingTime: string | number }
  | { once: true }
  | { availableNow: true }
  | { continuous: string | number };

/** Factories with Spark's names. */
export const Trigger = {
  /** Run a batch every `interval` (a duration string such as `'10 seconds'` or milliseconds); 0 = as fast as possible. */
  ProcessingTime(interval: string | number): Trigger {
    return { kind: 'processingTime', intervalMs: durationToMs(interval, 'interval') };
  },
  /** Process all available data in one batch, then stop (deprecated in Spark 3.4 in favour of AvailableNow). */
  Once(): Trigger {
    return { kind: 'once' };
  },
  /** Process all data available at start, in as many batches as the read limits need, then stop. */
  AvailableNow(): Trigger {
    return { kind: 'availableNow' };
  },
  /** Continuous processing (experimental in Spark). */
  Continuous(checkpointInterval: string | number): Trigger {
    return { kind: 'continuous', checkpointIntervalMs: durationToMs(checkpointInterval, 'checkpoint interval') };
  },
  /** The default trigger: ProcessingTime(0). */
  Default(): Trigger {
    return { kind: 'processingTime', intervalMs: 0 };
  },
};

/** Normalizes a user's trigger spec. */
export function toTrigger(spec: TriggerSpec | undefined): Trigger {
  if (spec === undefined) return Trigger.Default();
  if ('kind' in spec) return spec;
  const keys = Object.keys(spec);
  if (keys.length !== 1) {
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `Only one trigger can be set, got ${JSON.stringify(keys)}. Use one of processingTime, once, availableNow, continuous.`,
      { context: { trigger: keys } },
    );
  }
  if ('processingTime' in spec) return Trigger.ProcessingTime(spec.processingTime);
  if ('once' in spec && spec.once === true) return Trigger.Once();
  if ('availableNow' in spec && spec.availableNow === true) return Trigger.AvailableNow();
  if ('continuous' in spec) return Trigger.Continuous(spec.continuous);
  throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Unknown trigger ${JSON.stringify(spec)}`, {
    context: { trigger: keys },
  });
}

/** Spark's description of a trigger, for explain() and logs. */
export function describeTrigger(t: Trigger): string {
  switch (t.kind) {
    case 'processingTime':
      return `ProcessingTimeTrigger(${t.intervalMs})`;
    case 'once':
      return 'OneTimeTrigger';
    case 'availableNow':
      return 'AvailableNowTrigger';
    case 'continuous':
      return `ContinuousTrigger(${t.checkpointIntervalMs})`;
  }
}
