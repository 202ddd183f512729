import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { escapePathName, unescapePathName } from '../../lib/formats/escapePathName';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { jsonFormat } from '../../lib/formats/jsonFormat';
import { listInputFiles } from '../../lib/formats/listInputFiles';
import { parsePartitionPath, partitionDirectory } from '../../lib/formats/partitionPath';
import { writeDataFiles } from '../../lib/formats/writeDataFiles';
import { toSchema } from '../../lib/values/types';
import { expectWeirError } from '../support/expectWeirError';
import { tempDirs } from './support';

const hostile = ['..', '../x', '/abs', '%2e%2e', '..%2F..%2Fetc', 'a\u0000b', '\\..\\x', '.', '', 'C:\\x', 'x'.repeat(200), 'é/ü'];

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => path.join(dir, p))
    .filter((p) => statSync(p).isFile());
}

describe('partition path safety', () => {
  const temp = tempDirs('paths');

  it("escapes as Spark's escapePathName and round-trips", () => {
    expect(escapePathName('a/b=c')).toBe('a%2Fb%3Dc');
    expect(escapePathName('%2e%2e')).toBe('%252e%252e');
    expect(escapePathName('a\u0000b')).toBe('a%00b');
    expect(escapePathName('..')).toBe('..');
    for (const v of hostile) expect(unescapePathName(escapePathName(v))).toBe(v);
  });

  it('makes one segment per column, never a path of its own', () => {
    for (const v of hostile) {
      const dir = partitionDirectory([['k', v]]);
      expect(dir.split('/')).toHaveLength(1);
      expect(dir.startsWith('k=')).toBe(true);
      expect(dir).not.toContain('\u0000');
      expect(parsePartitionPath(`${dir}/f.json`)).toEqual([['k', v === '' ? null : v]]);
    }
  });

  it('writes every hostile value strictly inside the output folder and reads the values back', async () => {
    const root = temp();
    const out = path.join(root, 'out');
    const rows = hostile.map((k, i) => ({ k, i }));
    const statuses = await writeDataFiles(rows, toSchema('k STRING, i INT'), {
      outputPath: out,
      format: jsonFormat,
      options: new FormatOptions(),
      partitionBy: ['k'],
    });
    expect(statuses).toHaveLength(hostile.length);
    // Nothing was created next to the output folder.
    expect(readdirSync(root)).toEqual(['out']);
    for (const f of allFiles(out)) expect(f.startsWith(`${out}${path.sep}`)).toBe(true);
    const listed = listInputFiles(out).files;
    expect(listed).toHaveLength(hostile.length);
    const values = listed.map((f) => (parsePartitionPath(f.relative) ?? [])[0]?.[1]).sort();
    expect(values).toEqual(hostile.map((v) => (v === '' ? null : v)).sort());
  });

  it('refuses a value longer than a folder name can be, before writing anything', async () => {
    const root = temp();
    const e = await expectWeirError(
      () =>
        writeDataFiles([{ k: 'y'.repeat(300), i: 1 }], toSchema('k STRING, i INT'), {
          outputPath: path.join(root, 'out'),
          format: jsonFormat,
          options: new FormatOptions(),
          partitionBy: ['k'],
        }),
      'INVALID_ARGUMENT',
    );
    expect(e.context.column).toBe('k');
    expect(readdirSync(root)).toEqual([]);
  });

  it('escapes the column name too', () => {
    expect(partitionDirectory([['../k', 'v']])).toBe('..%2Fk=v');
  });
});
