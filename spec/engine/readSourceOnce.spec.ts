import { existsSync } from 'node:fs';
import type { Offset, Row, Source, SourceContext } from '../../lib/contracts';
import { readSourceOnce } from '../../lib/engine/readSourceOnce';
import { MemoryStream } from '../../connectors/memory/MemoryStream';

describe('readSourceOnce', () => {
  it('reads everything available now, in order, and stops the source', async () => {
    const stream = new MemoryStream<Row>();
    stream.addData([{ v: 1 }, { v: 2 }]);
    stream.addData([{ v: 3 }]);
    expect(await readSourceOnce(stream)).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
  });

  it('stops the source and removes its temporary metadata folder when a step fails', async () => {
    let folder = '';
    let stopped = false;
    const failing: Source<Row> = {
      description: 'failing',
      open: async (context: SourceContext) => {
        folder = context.metadataPath;
      },
      initialOffset: async () => null,
      latestOffset: async (): Promise<Offset> => {
        throw new Error('broker gone');
      },
      read: () => {
        throw new Error('not reached');
      },
      commit: async () => undefined,
      stop: async () => {
        stopped = true;
      },
    };
    await expect(readSourceOnce(failing)).rejects.toThrow('broker gone');
    expect(stopped).toBe(true);
    expect(folder).not.toBe('');
    expect(existsSync(folder)).toBe(false);
  });
});
