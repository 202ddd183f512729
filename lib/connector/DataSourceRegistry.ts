/**
 * Spark's `DataSource.lookupDataSource`: format names → providers, case-insensitively.
 *
 * Invariants: a name (short name or alias, any case) belongs to at most one provider, so registering a taken
 * name fails instead of silently shadowing a built-in; a name no provider has is `DATA_SOURCE_NOT_FOUND` with
 * Spark's text, listing the names that have the asked-for capability; a provider found without the capability
 * is `UNSUPPORTED_OPERATION` with Spark's "Data source X does not support streamed reading" (or writing).
 */
import { ErrorCodes, WeirError, sparkError } from '../errors';
import type { DataSourceProvider } from './DataSourceProvider';

/** What a reader or writer needs from a provider. */
export type Capability = 'createSource' | 'createSink' | 'createRelation' | 'saveBatch';

const WHAT: Record<Capability, { readonly does: string; readonly noun: string }> = {
  createSource: { does: 'streamed reading', noun: 'source' },
  createSink: { does: 'streamed writing', noun: 'sink' },
  createRelation: { does: 'batch reading', noun: 'source' },
  saveBatch: { does: 'batch writing', noun: 'sink' },
};

const CAPABILITIES: readonly Capability[] = ['createSource', 'createSink', 'createRelation', 'saveBatch'];

/** The providers of one process (the package's default registry lives in connectors/registry.ts). */
export class DataSourceRegistry {
  private readonly byName = new Map<string, DataSourceProvider>();
  private readonly ordered: DataSourceProvider[] = [];

  /**
   * @param planned names Spark has and weir does not have yet: they fail with a message saying so.
   */
  constructor(
    builtins: readonly DataSourceProvider[] = [],
    private readonly planned: readonly string[] = [],
  ) {
    for (const p of builtins) this.register(p);
  }

  /**
   * Adds `provider` under its short name and aliases; returns a function that removes it again.
   *
   * @throws WeirError INVALID_ARGUMENT (no short name, no capability, a name already registered).
   */
  register(provider: DataSourceProvider): () => void {
    if (provider === null || typeof provider !== 'object' || typeof provider.shortName !== 'string' || provider.shortName.trim() === '') {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'A data source provider needs a non-empty shortName', { context: {} });
    }
    const names = [provider.shortName, ...(provider.aliases ?? [])];
    if (!CAPABILITIES.some((c) => typeof provider[c] === 'function')) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `Data source ${provider.shortName} has none of ${CAPABILITIES.join(', ')}: it could neither be read nor written`,
        { context: { format: provider.shortName } },
      );
    }
    for (const n of names) {
      if (this.byName.has(n.toLowerCase())) {
        throw new WeirError(
          ErrorCodes.INVALID_ARGUMENT,
          `Multiple sources found for ${n}: a data source named ${n} is already registered`,
          { context: { format: n } },
        );
      }
    }
    for (const n of names) this.byName.set(n.toLowerCase(), provider);
    this.ordered.push(provider);
    return () => {
      const i = this.ordered.indexOf(provider);
      if (i < 0) return;
      this.ordered.splice(i, 1);
      for (const n of names) if (this.byName.get(n.toLowerCase()) === provider) this.byName.delete(n.toLowerCase());
    };
  }

  /** The provider named `name` (any case), or undefined. */
  find(name: string): DataSourceProvider | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The short names, in registration order; with `capability`, only the providers that have it. */
  names(capability?: Capability): string[] {
    return this.ordered.filter((p) => capability === undefined || typeof p[capability] === 'function').map((p) => p.shortName);
  }

  /**
   * The provider of `name` that has `capability`.
   *
   * @throws WeirError DATA_SOURCE_NOT_FOUND (no such name), UNSUPPORTED_OPERATION (the connector cannot do it).
   */
  lookup(name: string, capability: Capability): DataSourceProvider {
    const provider = this.find(name);
    const { does } = WHAT[capability];
    if (provider === undefined) {
      const planned = this.planned.includes(name.toLowerCase());
      // Spark's message; what weir has (and whether the format is planned) is context.
      throw sparkError(ErrorCodes.DATA_SOURCE_NOT_FOUND, 'DATA_SOURCE_NOT_FOUND', { provider: name }, {
        context: { format: name, planned, available: this.names(capability).join(', ') },
      });
    }
    if (typeof provider[capability] !== 'function') {
      throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, `Data source ${name} does not support ${does}`, {
        context: { format: name, available: this.names(capability) },
      });
    }
    return provider;
  }
}
