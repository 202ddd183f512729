import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  fsyncDirectory,
  isTempFileName,
  mkdirsDurably,
  removeFileDurably,
  TEMP_FILE_PREFIX,
  writeFileDurably,
} from '../../lib/checkpoint/durableWrite';
import { rejectionOf, useTempDir } from './tempDir';

const tempDir = useTempDir();

describe('durableWrite', () => {
  it('writes, and by default replaces, a file', async () => {
    const file = path.join(tempDir(), 'f');
    expect(await writeFileDurably(file, 'one')).toBe(true);
    expect(await writeFileDurably(file, Buffer.from('two'))).toBe(true);
    expect(await fs.readFile(file, 'utf8')).toBe('two');
  });

  it('with overwrite:false keeps an existing file and returns false', async () => {
    const file = path.join(tempDir(), 'f');
    expect(await writeFileDurably(file, 'one', { overwrite: false })).toBe(true);
    expect(await writeFileDurably(file, 'two', { overwrite: false })).toBe(false);
    expect(await fs.readFile(file, 'utf8')).toBe('one');
    expect(await fs.readdir(tempDir())).toEqual(['f']);
  });

  it('cleans its temp file up when the write fails', async () => {
    await fs.mkdir(path.join(tempDir(), 'occupied'));
    await rejectionOf(writeFileDurably(path.join(tempDir(), 'occupied'), 'x'));
    expect(await fs.readdir(tempDir())).toEqual(['occupied']);
  });

  it('names temp files so that listings can skip them', () => {
    expect(isTempFileName(`${TEMP_FILE_PREFIX}0-abc`)).toBe(true);
    expect(isTempFileName('0')).toBe(false);
    expect(isTempFileName('.lock')).toBe(false);
  });

  it('creates nested folders (idempotently) and removes files, durably', async () => {
    const deep = path.join(tempDir(), 'a', 'b', 'c');
    await mkdirsDurably(deep);
    await mkdirsDurably(deep);
    expect((await fs.stat(deep)).isDirectory()).toBe(true);
    const file = path.join(deep, 'x');
    await fs.writeFile(file, 'x');
    await removeFileDurably(file);
    await removeFileDurably(file);
    expect(await fs.readdir(deep)).toEqual([]);
    await fsyncDirectory(deep);
  });
});
