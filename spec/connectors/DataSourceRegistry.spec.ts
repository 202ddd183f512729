/**
 * The registry class on its own: names and aliases in any case, one provider per name, capabilities, planned
 * names, removal.
 */
import { DataSourceRegistry } from '../../lib/connector/DataSourceRegistry';
import type { DataSourceProvider } from '../../lib/connector/DataSourceProvider';
import { expectWeirError } from '../support/expectWeirError';

const sink = { description: 'x', addBatch: async () => undefined };
const writeOnly: DataSourceProvider = { shortName: 'Out', aliases: ['out.v2'], createSink: () => sink };
const readOnly: DataSourceProvider = { shortName: 'in', createRelation: () => ({ schema: undefined as never, name: 'in', rows: () => [] }) };

describe('DataSourceRegistry', () => {
  it('finds a provider by short name or alias in any case, and lists names per capability in registration order', () => {
    const r = new DataSourceRegistry([writeOnly, readOnly]);
    expect(r.find('OUT')).toBe(writeOnly);
    expect(r.find('Out.V2')).toBe(writeOnly);
    expect(r.lookup('out', 'createSink')).toBe(writeOnly);
    expect(r.find('other')).toBeUndefined();
    expect(r.names()).toEqual(['Out', 'in']);
    expect(r.names('createSink')).toEqual(['Out']);
    expect(r.names('createRelation')).toEqual(['in']);
  });

  it('an unknown name is DATA_SOURCE_NOT_FOUND listing the names that can do it; a planned one says so', async () => {
    const r = new DataSourceRegistry([writeOnly, readOnly], ['orc']);
    const e = await expectWeirError(() => r.lookup('nope', 'createSink'), 'DATA_SOURCE_NOT_FOUND');
    expect(e.message).toBe('[DATA_SOURCE_NOT_FOUND] Failed to find the data source: nope. Make sure the provider name is correct and the package is properly registered and compatible with your Spark version. SQLSTATE: 42K02');
    expect(e.context.available).toBe('Out');
    expect(e.context.format).toBe('nope');
    const p = await expectWeirError(() => r.lookup('ORC', 'createSource'), 'DATA_SOURCE_NOT_FOUND');
    expect(p.message).toBe('[DATA_SOURCE_NOT_FOUND] Failed to find the data source: ORC. Make sure the provider name is correct and the package is properly registered and compatible with your Spark version. SQLSTATE: 42K02');
    expect(p.context.planned).toBe(true);
  });

  it('a provider without the capability is UNSUPPORTED_OPERATION with Spark\'s text', async () => {
    const r = new DataSourceRegistry([writeOnly, readOnly]);
    expect((await expectWeirError(() => r.lookup('OUT', 'createSource'), 'UNSUPPORTED_OPERATION')).message).toBe('Data source OUT does not support streamed reading');
    expect((await expectWeirError(() => r.lookup('in', 'createSink'), 'UNSUPPORTED_OPERATION')).message).toBe('Data source in does not support streamed writing');
    expect((await expectWeirError(() => r.lookup('in', 'saveBatch'), 'UNSUPPORTED_OPERATION')).message).toBe('Data source in does not support batch writing');
  });

  it('refuses a taken name (any case, aliases included), a provider without a name or without a capability', async () => {
    const r = new DataSourceRegistry([writeOnly]);
    await expectWeirError(() => r.register({ shortName: 'OUT.v2', createSink: () => sink }), 'INVALID_ARGUMENT');
    await expectWeirError(() => r.register({ shortName: 'fresh', aliases: ['out'], createSink: () => sink }), 'INVALID_ARGUMENT');
    expect(r.find('fresh')).toBeUndefined();
    await expectWeirError(() => r.register({ shortName: ' ', createSink: () => sink }), 'INVALID_ARGUMENT');
    await expectWeirError(() => r.register({ shortName: 'nothing' }), 'INVALID_ARGUMENT');
  });

  it('the function register returns removes the provider and frees its names', () => {
    const r = new DataSourceRegistry();
    const remove = r.register(writeOnly);
    remove();
    expect(r.find('out')).toBeUndefined();
    expect(r.find('out.v2')).toBeUndefined();
    expect(r.names()).toEqual([]);
    remove();
    r.register(writeOnly);
    expect(r.find('out')).toBe(writeOnly);
  });
});
