import * as sources from '../../sources';
import { MemoryStream } from '../../connectors/memory/MemoryStream';

describe('weir-streams/sources', () => {
  it('exports the built-in sources and nothing internal', () => {
    expect(Object.keys(sources).sort()).toEqual(['FileSource', 'MemoryStream', 'files', 'fromObservable', 'kafka', 'memory', 'rate', 'rateMicroBatch', 'socket']);
    expect(sources.MemoryStream).toBe(MemoryStream);
  });
});
